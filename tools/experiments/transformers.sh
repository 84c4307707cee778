#!/bin/bash
# The transformer comparison (docs/results.md, "Video transformers on Kinema-Motion"): the small
# ViViTs, the small TimeSformers (divided and joint) and a small MViT beside slow-fusion and r3d_18,
# one recipe, on the demo's data (8 classes: 4 appearance, 4 motion-only; 224 training, 48
# validation and 48 test videos of 64x64). Each model trains in its own process, so that GNU time's
# maximum resident set size is that model's peak memory (training, validation and test).
# Run from the repository root:
#     nice -n 5 tools/experiments/transformers.sh [OUT]
# MODELS (comma list, default all nine) picks a subset, e.g. to run the CNNs and the transformers
# as two lanes at once; EPOCHS (default 20) scales it. libtorch runs one intra-op thread per process
# (two lanes on two cores); set KINEMA_JAVA_OPTS to change that.
set -euo pipefail
OUT=${1:-kinema-out/transformers}
K=${KINEMA:-./kinema}
MODELS=${MODELS:-vivit-joint-small,vivit-fe-small,vivit-fsa-small,vivit-fdp-small,timesformer-small,timesformer-joint-small,mvit-small,slow-fusion,r3d_18}
export KINEMA_JAVA_OPTS="${KINEMA_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}"
DATA=$OUT/data
mkdir -p "$OUT"
# The demo's data: the same classes, sizes and seed as `kinema demo` renders.
[ -f "$DATA/labels.txt" ] || $K synth --out "$DATA" \
    --classes jumping_jacks,waving,pendulum,bouncing_ball,slide_left,slide_right,rotate_clockwise,rotate_anticlockwise \
    --videos-per-class 40 --size 64 --seconds 2:3 --seed 0
for m in ${MODELS//,/ }; do
    [ -f "$OUT/$m/compare.md" ] && continue   # done in an earlier, interrupted run
    /usr/bin/time -v -o "$OUT/$m.time" $K compare --data "$DATA" --models "$m" --out "$OUT/$m" \
        --epochs "${EPOCHS:-20}" --frames 8 --stride 3 --size 64 --batch 8 --lr 1e-3 --no-flip --seed 0 \
        --clips 5 --workers 1 > "$OUT/$m.log" 2>&1
    grep -h 'Elapsed (wall\|Maximum resident' "$OUT/$m.time"
    tail -3 "$OUT/$m/compare.md"
done
