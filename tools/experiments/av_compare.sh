#!/bin/bash
# The audio-visual comparison (docs/results.md, "Audio: video-only vs audio-only vs both"): the same
# visual 3D CNN alone (av-visual), audio-cnn alone, late fusion (av-late), mid fusion by
# concatenation (av-mid) and gated mid fusion (av-mid-gated), one recipe, on nine Kinema-Motion
# classes rendered with their soundtrack: four silent visual classes, the three balls that look
# alike and sound different, and knocking / miming_knock. `kinema compare` splits accuracy by which
# senses tell the classes apart (KinemaMotion.evidence). Run from the repository root:
#     nice -n 5 tools/experiments/av_compare.sh [OUT]
# VIDEOS (per class, default 16) and EPOCHS (default 6) scale it.
set -euo pipefail
OUT=${1:-kinema-out/av-compare}
K=${KINEMA:-./kinema}
CLASSES=slide_right,rotate_clockwise,waving,pendulum,bouncing_ball,bouncing_ball_rubber,bouncing_ball_metal,knocking,miming_knock
mkdir -p "$OUT"
[ -f "$OUT/data/labels.txt" ] || $K synth --out "$OUT/data" --classes "$CLASSES" --videos-per-class "${VIDEOS:-16}" \
    --size 40x32 --seconds 1.6:1.6 --audio --seed 0 --workers 1
/usr/bin/time -v -o "$OUT/compare.time" $K compare --data "$OUT/data" --models av-visual,audio-cnn,av-late,av-mid,av-mid-gated \
    --out "$OUT/compare" --epochs "${EPOCHS:-6}" --frames 8 --stride 4 --size 32 --batch 8 --lr 3e-3 --clips 2 --no-flip --seed 0 --workers 1
grep -h 'Elapsed (wall\|Maximum resident' "$OUT/compare.time"
