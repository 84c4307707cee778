#!/bin/bash
# Why pretraining did not beat from-scratch (docs/results.md, "Masked video pretraining"): run after
# tools/experiments/videomae.sh OUT (PT_EPOCHS=10, once with the default target and once with
# TARGET=pixels), on the same OUT. Adds:
#   pretrain-pixels30   30 epochs of pixel-target pretraining (pretraining length)
#   ft30-*              30 fine-tuning epochs without layer decay (fine-tuning length and layer decay)
#   probe-*             the encoder held almost still (layer decay 0.01: the last block at lr/100,
#                       the head at lr), 30 epochs: close to a linear probe of what pretraining learned
# for the encoder from scratch (random), the normalised-target one, the pixel-target one (10 and 30
# epochs), then the mask ratio (0.5, both targets) and the fine-tuning learning rate (3e-4). Every run
# single-threaded libtorch, two at a time. Run from the repository root:
#     nice -n 5 tools/experiments/videomae_why.sh [OUT]
set -euo pipefail
OUT=${1:-kinema-out/mae}
K=${KINEMA:-./kinema}
export KINEMA_JAVA_OPTS="${KINEMA_JAVA_OPTS:--Dai.djl.pytorch.num_threads=1 -Dai.djl.pytorch.num_interop_threads=1}"
CLIP=(--frames 8 --stride 2 --size 64)
RECIPE=(--data "$OUT/subset" --epochs 30 --batch 8 --no-flip --seed 0 --val-clips 1 "${CLIP[@]}")
run() {   # NAME ARGS... (LR: the peak learning rate, default 1e-3): fine-tunes videomae-small into $OUT/NAME and evaluates it (3 test clips a video)
    local name=$1
    shift
    [ -f "$OUT/$name.eval" ] && return
    $K train --model videomae-small --out "$OUT/$name" "${RECIPE[@]}" --lr "${LR:-1e-3}" "$@" > "$OUT/$name.log"
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
# Mask ratio: 0.5 instead of 0.75 (8 of 16 positions a frame visible), both targets, 10 epochs.
pretrain_m50() {   # TARGET: pretrain-m50-TARGET
    [ -f "$OUT/pretrain-m50-$1/encoder.safetensors" ] || $K pretrain --data "$OUT/unlabelled" --model videomae-small \
        --out "$OUT/pretrain-m50-$1" --mask-ratio 0.5 --target "$1" --epochs 10 --warmup-epochs 0.5 --batch 8 "${CLIP[@]}" \
        > "$OUT/pretrain-m50-$1.log"
}
pretrain_m50 normalised &
pretrain_m50 pixels
wait
run ft30-m50-normalised --init "$OUT/pretrain-m50-normalised/encoder.safetensors" &
run ft30-m50-pixels --init "$OUT/pretrain-m50-pixels/encoder.safetensors"
wait
run probe-m50-normalised --layer-decay 0.01 --init "$OUT/pretrain-m50-normalised/encoder.safetensors" &
run probe-m50-pixels --layer-decay 0.01 --init "$OUT/pretrain-m50-pixels/encoder.safetensors"
wait
# Fine-tuning learning rate: 3e-4 instead of 1e-3.
LR=3e-4 run ft30-lr3e-4-scratch &
LR=3e-4 run ft30-lr3e-4-pixels --init "$OUT/pretrain-pixels/encoder.safetensors"
wait
for f in "$OUT"/ft30-*.eval "$OUT"/probe-*.eval; do
    echo "$(basename "$f" .eval): $(grep -h 'video top-1' "$f" | tr '\n' ' ')"
done
