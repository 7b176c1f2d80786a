#!/usr/bin/env bash
# Screenshots for docs/imagej.md, taken from Debian's ImageJ 1.53t under Xvfb (needs imagej, xvfb, xdotool,
# imagemagick, mricron-data). Run from the repository root after `mvn -B package -DskipTests`.
# Writes docs/img/imagej-menu.png (Plugins>ketaprint), docs/img/imagej-import-menu.png (File>Import) and
# docs/img/imagej-aal-volumes.png (AAL opened through the plugin, Region volumes with outlines).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
OUT=docs/img
mkdir -p "$OUT"
W=$(mktemp -d /tmp/ketaprint-shots.XXXXXX)
mkdir -p "$W/home/.imagej/plugins"
cp -r target/imagej/plugins/. "$W/home/.imagej/plugins/"
cat > "$W/s.ijm" <<'IJM'
run("NIfTI (ketaprint)...", "open=[/usr/share/mricron/templates/aal.nii.gz]");
run("Region volumes", "labels=[37,38,41,42] lookup=[/usr/share/mricron/templates/aal.nii.txt] mask=none show");
setSlice(55);
run("In [+]");
IJM
D=:$((90 + RANDOM % 100))
Xvfb "$D" -screen 0 1100x700x24 >/dev/null 2>&1 &
XPID=$!
export DISPLAY=$D
sleep 2
java -cp /usr/share/java/ij.jar ij.ImageJ -ijpath "$W/home/.imagej" -macro "$W/s.ijm" >"$W/ij.log" 2>&1 &
JPID=$!
cleanup() { kill "$JPID" "$XPID" 2>/dev/null || true; rm -rf "$W"; }
trap cleanup EXIT
sleep 15
IJW=$(xdotool search --name '^ImageJ$' | head -1)
xdotool windowmove "$IJW" 0 0
xdotool search --name '^Results$' | head -1 | xargs -r -I{} xdotool windowmove {} 520 420 || true
xdotool search --name '^aal.nii.gz$' | head -1 | xargs -r -I{} xdotool windowmove {} 0 100 || true
# without a window manager the menu bar is painted once it is mapped again
xdotool windowunmap "$IJW"; sleep 1; xdotool windowmap "$IJW"; sleep 2
import -window root "$OUT/imagej-aal-volumes.png"
xdotool mousemove 320 12 click 1; sleep 1   # Plugins
for i in 1 2 3 4 5 6; do xdotool key Down; sleep 0.2; done
xdotool key Right; sleep 1
import -window root -crop 800x230+0+0 "$OUT/imagej-menu.png"
for i in 1 2 3; do xdotool key Escape; sleep 0.3; done
xdotool mousemove 20 12 click 1; sleep 1      # File
for i in 1 2 3 4 5; do xdotool key Down; sleep 0.2; done
xdotool key Right; sleep 1
import -window root -crop 420x400+0+0 "$OUT/imagej-import-menu.png"
echo "wrote $OUT/imagej-menu.png $OUT/imagej-import-menu.png $OUT/imagej-aal-volumes.png"
