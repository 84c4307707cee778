#!/usr/bin/env bash
# AVA frame mAP@0.5 of roi-tiny-3d on multi-actor Kinema-Motion (docs/results.md, "Spatio-temporal
# action detection"). Usage: tools/experiments/detection.sh [OUT=/tmp/det] [EPOCHS=8]
# The data step is skipped when OUT/data exists.
set -euo pipefail
OUT=${1:-/tmp/det}
EPOCHS=${2:-8}
K="nice -n 5 ./kinema"
[ -d "$OUT/data" ] || $K synth --multi-actor --out "$OUT/data" --videos 80 --seconds 6 --size 96 --fps 10 \
    --classes jumping_jacks,waving,clapping,juggling --workers 1 --seed 0
$K train --data "$OUT/data" --task action-detection --model roi-tiny-3d --out "$OUT/run" --frames 4 --stride 3 \
    --size 64 --resize 64 --epochs "$EPOCHS" --batch 8 --lr 3e-3 --warmup-epochs 1 --seed 0
TEST=$(ls "$OUT"/data/videos/*.mp4 | while read -r v; do id=$(basename "$v" .mp4); grep -q "^$id," "$OUT/data/ava_test.csv" && echo "$v"; done)
$K detect $TEST --run "$OUT/run" --boxes "$OUT/data/ava_test.csv" --predictions "$OUT/pred_test.csv" > /dev/null
$K metrics ava --ground-truth "$OUT/data/ava_test.csv" --predictions "$OUT/pred_test.csv" \
    --label-map "$OUT/data/label_map.pbtxt" --exclusions "$OUT/data/excluded_timestamps_test.csv"
