# Build the standalone program on Windows: dist\society-migrator\society-migrator.exe
#
#   powershell -ExecutionPolicy Bypass -File packaging\build.ps1
#
# The same recipe as packaging/build.sh: the repository's .venv (made if missing),
# PyInstaller from the "build" extra of pyproject.toml, then the spec file. By hand:
#   py -3.11 -m venv .venv
#   .venv\Scripts\pip install -e .[build]
#   .venv\Scripts\python -m PyInstaller --noconfirm --clean --distpath dist --workpath build\pyinstaller packaging\society-migrator.spec
# society-migrator.exe opens the window (no console); society-migrate.exe beside it is
# the command line (status, upgrade, ...), with the same exit codes.
$ErrorActionPreference = "Stop"
Set-Location (Split-Path -Parent $PSScriptRoot)

if (-not (Test-Path .venv\Scripts\python.exe)) { py -3.11 -m venv .venv }
& .venv\Scripts\python -c "import PyInstaller, PySide6" 2>$null
if ($LASTEXITCODE -ne 0) {
    & .venv\Scripts\pip install -q -e ".[build]"
    if ($LASTEXITCODE -ne 0) { throw "pip install failed" }
}
& .venv\Scripts\python -m PyInstaller --noconfirm --clean --log-level WARN `
    --distpath dist --workpath build\pyinstaller packaging\society-migrator.spec
if ($LASTEXITCODE -ne 0) { throw "PyInstaller failed" }
$size = (Get-ChildItem dist\society-migrator -Recurse | Measure-Object Length -Sum).Sum / 1MB
Write-Output ("Built dist\society-migrator\society-migrator.exe ({0:N0} MB)" -f $size)
