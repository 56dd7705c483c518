"""The shipped migrations: ``NNN_snake_name.py`` files loaded by ``core.discovery``.

Not imported as modules by name (a name can't start with a digit); see
``core/discovery.py``. Each file's docstring first line is what staff read.
Entry points pass :data:`FOLDER` to the engine: ``core`` never imports this package.
"""

from pathlib import Path

FOLDER = Path(__file__).resolve().parent
