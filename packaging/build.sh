#!/usr/bin/env bash
# Build the standalone program: dist/society-migrator/society-migrator (one folder).
#
#   packaging/build.sh
#
# Uses the repository's .venv (made if missing) and installs PyInstaller into it
# (the "build" extra of pyproject.toml) if it isn't there yet. Run it from any folder.
# The folder dist/society-migrator/ is the whole program: copy it anywhere, no Python needed.
set -euo pipefail
cd "$(dirname "$0")/.."

[ -x .venv/bin/python ] || python3 -m venv .venv
if ! .venv/bin/python -c 'import PyInstaller, PySide6' 2>/dev/null; then
    .venv/bin/pip install -q -e '.[build]'
fi
.venv/bin/python -m PyInstaller --noconfirm --clean --log-level WARN \
    --distpath dist --workpath build/pyinstaller packaging/society-migrator.spec
echo "Built dist/society-migrator/society-migrator ($(du -sh dist/society-migrator | cut -f1))"
