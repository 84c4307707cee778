#!/usr/bin/env bash
# Screenshots an explanation page (kinema explain gradcam's index.html) in headless Chromium, to look
# at what a browser really shows: the frames, the animated overlays, the timeline and the table.
#
#   tools/explain/screenshot.sh kinema-out/explain/index.html page.png [WIDTHxHEIGHT]
set -euo pipefail
page="$(realpath "$1")"
out="$(realpath -m "$2")"
size="${3:-1000x1500}"
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --window-size="${size/x/,}" \
  --screenshot="$out" "file://$page" >/dev/null 2>&1
test -s "$out" && echo "wrote $out"
