#!/usr/bin/env bash
# Put Society DB Migrator in the desktop's application menu (Linux, this user only).
#
#   packaging/install-desktop-entry.sh [PROGRAM]
#
# PROGRAM is what the menu entry starts: by default the standalone build
# (dist/society-migrator/society-migrator), else the venv's society-migrator command.
# Installs the entry into ~/.local/share/applications and the icon (SVG and PNG sizes)
# into ~/.local/share/icons/hicolor. Run it again after moving the program.
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(dirname "$HERE")
DATA=${XDG_DATA_HOME:-$HOME/.local/share}
program=${1:-}
if [ -z "$program" ]; then
    for candidate in "$ROOT/dist/society-migrator/society-migrator" "$ROOT/.venv/bin/society-migrator"; do
        [ -x "$candidate" ] && { program=$candidate; break; }
    done
fi
[ -n "$program" ] && [ -x "$program" ] || {
    echo "No program to start: build it first (packaging/build.sh) or name it." >&2; exit 2; }
program=$(cd "$(dirname "$program")" && pwd)/$(basename "$program")

icons="$ROOT/gui/resources/icons"
for png in "$icons"/society-migrator-*.png; do
    size=$(basename "$png" .png); size=${size##*-}
    install -D -m 644 "$png" "$DATA/icons/hicolor/${size}x${size}/apps/society-migrator.png"
done
install -D -m 644 "$icons/society-migrator.svg" "$DATA/icons/hicolor/scalable/apps/society-migrator.svg"
mkdir -p "$DATA/applications"
sed "s|^Exec=society-migrator|Exec=\"$program\"|" "$HERE/society-migrator.desktop" \
    > "$DATA/applications/society-migrator.desktop"
command -v update-desktop-database >/dev/null && update-desktop-database -q "$DATA/applications" || true
command -v gtk-update-icon-cache >/dev/null && gtk-update-icon-cache -q -t "$DATA/icons/hicolor" || true
echo "Installed $DATA/applications/society-migrator.desktop (starts $program)"
