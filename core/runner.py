"""Old import path of the upgrade's types; the pipeline itself is :mod:`core.upgrade`.

Kept so that code importing ``core.runner`` keeps working until it imports
these names from :mod:`core.api`.
"""

from __future__ import annotations

from core.cancel import CancelToken
from core.upgrade import UpgradeResult

__all__ = ["CancelToken", "UpgradeResult"]
