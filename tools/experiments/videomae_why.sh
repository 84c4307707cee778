#!/bin/bash
# Why pretraining did not beat from-scratch (docs/results.md, "Masked video pretraining"): run after
# tools/experiments/videomae.sh OUT (PT_EPOCHS=10, once with the default target and once with
# TARGET=pixels), on the same OUT. Adds:
#   pretrain-pixels30   30 epochs of pixel-target pretraining (pretraining length)
#   ft30-*              30 fine-tuning epochs without layer decay (fine-tuning length and layer decay)
#   probe-*             the encoder held almost still (layer decay 0.01: the last block at lr/100,
#                       the head at lr), 30 epochs: close to a linear probe of what pretraining learned
# for the encoder from scratch (random), the normalised-target one, the pixel-target one (10 and 30
# epochs). Every run single-threaded libtorch, two at a time. Run from the repository root:
#     nice -n 5 tools/experiments/videomae_why.sh [OUT]
set -euo pipefail
OUT=${1:-kinema-out/mae}
K=${KINEMA:-./kinema}
export KINEMA_JAVA_OPTS="${KINEMA_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}"
CLIP=(--frames 8 --stride 2 --size 64)
RECIPE=(--data "$OUT/subset" --epochs 30 --batch 8 --lr 1e-3 --no-flip --seed 0 --val-clips 1 "${CLIP[@]}")
run() {   # NAME ARGS...: fine-tunes videomae-small into $OUT/NAME and evaluates it (3 test clips a video)
    local name=$1
    shift
    [ -f "$OUT/$name.eval" ] && return
    $K train --model videomae-small --out "$OUT/$name" "${RECIPE[@]}" "$@" > "$OUT/$name.log"
    $K eval --run "$OUT/$name" --split test --clips 3 > "$OUT/$name.eval"
}
[ -f "$OUT/pretrain-pixels30/encoder.safetensors" ] || /usr/bin/time -v -o "$OUT/pretrain-pixels30.time" \
    $K pretrain --data "$OUT/unlabelled" --model videomae-small --out "$OUT/pretrain-pixels30" --mask-ratio 0.75 \
    --target pixels --epochs 30 --warmup-epochs 0.5 --batch 8 "${CLIP[@]}" > "$OUT/pretrain-pixels30.log"
run ft30-scratch &
run ft30-normalised --init "$OUT/pretrain/encoder.safetensors"
wait
run ft30-pixels --init "$OUT/pretrain-pixels/encoder.safetensors" &
run ft30-pixels30 --init "$OUT/pretrain-pixels30/encoder.safetensors"
wait
run probe-scratch --layer-decay 0.01 &
run probe-normalised --layer-decay 0.01 --init "$OUT/pretrain/encoder.safetensors"
wait
run probe-pixels --layer-decay 0.01 --init "$OUT/pretrain-pixels/encoder.safetensors" &
run probe-pixels30 --layer-decay 0.01 --init "$OUT/pretrain-pixels30/encoder.safetensors"
wait
for f in "$OUT"/ft30-*.eval "$OUT"/probe-*.eval; do
    echo "$(basename "$f" .eval): $(grep -h 'video top-1' "$f" | tr '\n' ' ')"
done
