#!/usr/bin/env bash
# Build the standalone program and check it works with no Python of ours and no PATH.
#
#   packaging/smoke.sh            # builds first (packaging/build.sh), then checks
#   packaging/smoke.sh --no-build # checks the program already in dist/
#
# Every run of the program below starts from `env -i` (an empty environment: no PATH,
# no PYTHONPATH, no virtual environment); those that write the run log get only a
# HOME in a temporary folder, so the log can be found and the real one isn't touched.
# The repository's .venv is used only to make the test files and to read the results.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
[ "${1:-}" = --no-build ] || packaging/build.sh
PROGRAM="$ROOT/dist/society-migrator/society-migrator"
[ -x "$PROGRAM" ] || { echo "FAIL: no program at $PROGRAM"; exit 1; }
PY="$ROOT/.venv/bin/python"
WORK=$(mktemp -d)
trap 'rm -rf "$WORK"' EXIT
mkdir -p "$WORK/home" "$WORK/copies"
cd "$WORK"  # nothing of the repository in the working folder either
failures=0
pass() { echo "ok   $*"; }
fail() { echo "FAIL $*"; failures=$((failures + 1)); }
run_empty() { env -i "$PROGRAM" "$@"; }                     # nothing at all
run_home() { env -i HOME="$WORK/home" "$PROGRAM" "$@"; }    # a HOME for the run log
make_legacy() { "$PY" -c "import sys; sys.path.insert(0, '$ROOT')
from pathlib import Path; from samples.legacy import Shape, build
for p in sys.argv[1:]: build(Path(p), Shape.MERGED_BY_HAND, residents=20, ledger_rows=50)" "$@"; }
count() { find "$1" -name "$2" 2>/dev/null | wc -l || true; }   # files named $2 in $1
json_field() { "$PY" -c "import json, sys; data = json.load(open(sys.argv[1]))
for key in sys.argv[2:]: data = data[int(key) if isinstance(data, list) else key]
print(data)" "$@"; }

echo "== the build: $(du -sh "$ROOT/dist/society-migrator" | cut -f1), $(find "$ROOT/dist/society-migrator" -type f | wc -l) files"
missing=$(find "$ROOT/dist/society-migrator" -name '*.so*' -type f -print0 \
    | xargs -0 -n1 ldd 2>/dev/null | grep 'not found' | sort -u || true)
if echo "$missing" | grep -q -E 'libQt6|libpyside|libshiboken|libpython'; then
    fail "a bundled library misses a Qt or Python library: $missing"
else
    pass "every bundled library finds the Qt and Python libraries it links to"
    [ -z "$missing" ] || echo "     (from the system, not bundled: $(echo "$missing" | awk '{print $1}' | tr '\n' ' '))"
fi

echo "== status --json on a legacy file"
make_legacy "$WORK/society.db"
if run_empty status --json "$WORK/society.db" > status.json; then
    state=$(json_field status.json state)
    LATEST=$(json_field status.json latest_version)
    [ "$state" = unversioned ] && pass "status --json: state $state" || fail "status --json: state $state"
else
    fail "status --json exited $?"
fi
printf 'not a database' > "$WORK/notes.txt"
set +e; run_empty status "$WORK/notes.txt" 2>/dev/null; code=$?; set -e
[ "$code" = 2 ] && pass "status on a text file: exit 2" || fail "status on a text file: exit $code"

echo "== upgrade with a backup beside the file"
if run_home upgrade "$WORK/society.db" > upgrade.txt; then
    backups=$(count "$WORK/backups" 'society_v0_*.db')
    [ "$backups" = 1 ] && pass "one backup in $WORK/backups" || fail "$backups backups"
    run_empty status --json "$WORK/society.db" > after.json
    state=$(json_field after.json state)
    [ "$state" = up_to_date ] && pass "upgraded: state $state" || fail "after upgrade: state $state"
    # migration_history records the build's version, so the package metadata is in it
    "$PY" -c "import sqlite3, sys; v = {r[0] for r in sqlite3.connect(sys.argv[1]).execute(
        'SELECT tool_version FROM migration_history')}; sys.exit(v == {'unknown'} or not v)" \
        "$WORK/society.db" && pass "history names the tool's version" || fail "history has no tool version"
else
    fail "upgrade exited $?"; cat upgrade.txt
fi
LOG="$WORK/home/.local/share/SocietyDBMigrator/Society DB Migrator/logs/runs.log"
if [ -f "$LOG" ] && grep -q "upgrade | $WORK/society.db | version 0 -> $LATEST | backup: $WORK/backups/" "$LOG"; then
    pass "the run log has the upgrade: $LOG"
else
    fail "no run log line at $LOG"
fi

echo "== three copies in one go from the command line"
make_legacy "$WORK/copies/office.db" "$WORK/copies/treasurer.db" "$WORK/copies/usb-stick.db"
set +e
run_home upgrade "$WORK/copies/office.db" "$WORK/copies/treasurer.db" "$WORK/copies/usb-stick.db" > several.txt 2>&1
code=$?
set -e
[ "$code" = 0 ] && pass "upgrade of three files: exit 0" || { fail "upgrade of three files: exit $code"; cat several.txt; }
for name in office treasurer usb-stick; do
    run_empty status --json "$WORK/copies/$name.db" > "$name.json" || true
    state=$(json_field "$name.json" state 2>/dev/null || echo unreadable)
    found=$(count "$WORK/copies/backups" "${name}_v0_*.db")
    if [ "$state" = up_to_date ] && [ "$found" = 1 ]; then pass "$name.db upgraded, its own backup"
    else fail "$name.db: state $state, $found backups"; fi
done
grep -q -E "usb-stick.db +0 -> $LATEST +upgraded" several.txt && pass "summary table printed" || fail "no summary table"
[ "$(grep -c " | upgrade | .*copies/.* | version 0 -> $LATEST " "$LOG" || true)" = 3 ] \
    && pass "three run log lines" || fail "not three run log lines"

echo "== three copies in one go from the window (offscreen, its Upgrade several copies list)"
mkdir -p "$WORK/window-copies"
make_legacy "$WORK/window-copies/office.db" "$WORK/window-copies/laptop.db" "$WORK/window-copies/stick.db"
set +e
env -i HOME="$WORK/home" QT_QPA_PLATFORM=offscreen "$PROGRAM" --smoke-upgrade-copies \
    "$WORK/window-copies/office.db" "$WORK/window-copies/laptop.db" "$WORK/window-copies/stick.db" \
    > window-several.txt 2> window-several-errors.txt
code=$?
set -e
[ "$code" = 0 ] && pass "the window upgraded three copies: exit 0" \
    || { fail "the window's three copies: exit $code"; cat window-several.txt window-several-errors.txt; }
for name in office laptop stick; do
    run_empty status --json "$WORK/window-copies/$name.db" > "w-$name.json" || true
    state=$(json_field "w-$name.json" state 2>/dev/null || echo unreadable)
    found=$(count "$WORK/window-copies/backups" "${name}_v0_*.db")
    if [ "$state" = up_to_date ] && [ "$found" = 1 ]; then pass "$name.db upgraded by the window, its own backup"
    else fail "$name.db from the window: state $state, $found backups"; fi
done
[ "$(grep -c " | upgrade | .*window-copies/.* | version 0 -> $LATEST " "$LOG" || true)" = 3 ] \
    && pass "three more run log lines" || fail "not three run log lines for the window's copies"

echo "== the window (offscreen)"
if env -i HOME="$WORK/home" QT_QPA_PLATFORM=offscreen "$PROGRAM" --quit-after 1500 \
    "$WORK/society.db" > window.txt 2> window-errors.txt \
    && grep -q "Window shown: society.db - Society DB Migrator" window.txt; then
    pass "$(cat window.txt)"
else
    fail "the window did not open"; cat window.txt window-errors.txt
fi

if [ "$failures" = 0 ]; then
    echo "SMOKE PASSED $(date -u +%Y-%m-%d)"
else
    echo "SMOKE FAILED: $failures check(s)"; exit 1
fi
