#!/bin/bash
# Salient against uniform clip sampling (docs/results.md, "Salient clip sampling"): SCSampler on
# untrimmed Kinema-Motion where each 16 s video holds one 3-5 s action on background activity, so
# most candidate clips are background. The expensive run (slow-fusion, 8 frames of 32², stride 2)
# and the preview run (tiny-3d, 4 frames of 16², stride 4, ~20x cheaper) both train on the trimmed
# windows `synth --untrimmed` writes (4 classes + background); then --compare-samplers scores the
# 48 validation and test videos (never trained on) with both samplers at K = 1, 2, 4, 8 out of 8
# non-overlapping 2 s candidates. One libtorch thread (the machine's 2 cores are shared).
# Run from the repository root:   nice -n 5 tools/experiments/salient_sampling.sh [OUT]
set -euo pipefail
OUT=${1:-kinema-out/salient}
K=${KINEMA:-./kinema}
export OMP_NUM_THREADS=1
export KINEMA_JAVA_OPTS="${KINEMA_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}"
mkdir -p "$OUT"
[ -f "$OUT/data/activitynet.json" ] || $K synth --untrimmed --out "$OUT/data" --videos ${VIDEOS_TOTAL:-160} --seconds 16:16 --size 32 \
    --fps 8 --max-instances 1 --instance-seconds 3:5 --classes slide_right,rotate_clockwise,jumping_jacks,bouncing_ball \
    --seed 3 --workers 2
COMMON=(--data "$OUT/data/windows" --batch 16 --lr 3e-3 --val-clips 1 --workers 1 --seed 0)
[ -f "$OUT/expensive/best.ckpt" ] || $K train --model slow-fusion --frames 8 --stride 2 --size 32 --epochs ${EPOCHS:-20} \
    "${COMMON[@]}" --out "$OUT/expensive" > "$OUT/expensive.log"
[ -f "$OUT/preview/best.ckpt" ] || $K train --model tiny-3d --frames 4 --stride 4 --size 16 --epochs ${EPOCHS:-20} \
    "${COMMON[@]}" --out "$OUT/preview" > "$OUT/preview.log"
tail -n 3 "$OUT/expensive.log" "$OUT/preview.log"
VIDEOS=$(grep -B2 '"subset" : "\(validation\|testing\)"' "$OUT/data/activitynet.json" | sed -n 's/.*"\(untrimmed_[0-9]*\)".*/\1/p' \
    | sed "s:^:$OUT/data/videos/:; s:$:.mp4:")
$K classify --run "$OUT/expensive" --preview "$OUT/preview" --hop 2 --compare-samplers 1,2,4,8 \
    --truth "$OUT/data/activitynet.json" --plot "$OUT/salient-vs-uniform.png" $VIDEOS | tee "$OUT/compare.jsonl"
