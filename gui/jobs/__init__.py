"""The window's jobs, one module each; the window is built from :data:`JOBS`.

Adding a job: write ``gui/jobs/<name>.py`` with its worker function, what it
asks first, how it reports, and a :class:`~gui.jobs.spec.JobSpec` named
``JOB``; then add that ``JOB`` here. The window makes its action (with
shortcut and tooltip), its entry in the Database menu and its button
(``<key>Button``), and turns it on and off from the open file's state.
"""

from __future__ import annotations

from gui.jobs import check, rehearse, restore, several, upgrade
from gui.jobs.spec import JobSpec

JOBS: tuple[JobSpec, ...] = (upgrade.JOB, rehearse.JOB, restore.JOB, several.JOB, check.JOB)
