#!/usr/bin/env bash
# Reproduces models/default.mnm: synthetic training latents, patches, training, then
# calibration of the threshold on separate validation latents. Seeds never overlap the
# evaluation set of docs/evaluation.md (seeds 30000+).
set -euo pipefail
M=${M:-build/minutiae}
W=${W:-out/model_build}
mkdir -p "$W"
"$M" synth -o "$W/train" -n 800 --seed 10000 -j 2 -q
"$M" patches "$W/train" --truth "$W/train" -o "$W/train.mps" --config models/patches.yaml -q
"$M" train "$W/train.mps" -o "$W/trained.mnm" --config models/train.yaml --threads 2 -q \
    --note "800 synthetic latents: minutiae synth -n 800 --seed 10000 (all classes, levels good/bad/ugly); see models/README.md"
"$M" synth -o "$W/val" -n 60 --seed 20000 -j 2 -q
"$M" calibrate "$W/trained.mnm" "$W/val" --truth "$W/val" -o models/default.mnm -j 2
