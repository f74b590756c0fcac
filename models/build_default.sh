#!/usr/bin/env bash
# Reproduces models/default.mnm from a weighted mixture of real and synthetic sources.
# It reads the labelled real prints of ../shared/data/real/train (research use: they are
# linked into $W, never copied into the project) and never touches
# ../shared/data/real/dev, which is kept for measuring only.
#   real prints         140 prints of models/real_split.sh's training part, weight 2
#   latents from them   3 degraded copies of each (minutiae degrade, mixed levels), weight 1.5
#   synthetic latents   100 (minutiae synth, seeds 10000..10099), weight 1
# The threshold is calibrated on the 35 validation prints of the split and one latent
# made from each: data that is neither training nor dev.
set -euo pipefail
M=${M:-build/minutiae}
W=${W:-out/model_build}
R=${R:-../shared/data/real/train}
OUT=${OUT:-models/default.mnm}
PC=${PC:-models/patches.yaml}     # patch settings (variants: another file)
TC=${TC:-models/train.yaml}       # training settings
if { [ "$PC" != models/patches.yaml ] || [ "$TC" != models/train.yaml ]; } && [ "$OUT" = models/default.mnm ]; then
    echo "build_default.sh: a variant (PC or TC) needs its own OUT (and W), not models/default.mnm" >&2
    exit 64
fi
mkdir -p "$W"
W="$W" R="$R" bash "$(dirname "$0")/real_split.sh"
S="$W"
"$M" degrade "$S/fit" --truth "$S/fit" -o "$W/fit_latents" -n 3 --seed 7 -j 2 -q
"$M" synth -o "$W/synth" -n 100 --seed 10000 -j 2 -q
"$M" patches "$S/fit" --truth "$S/fit" -o "$W/real.mps" --config "$PC" -q
"$M" patches "$W/fit_latents" --truth "$W/fit_latents" -o "$W/real_latents.mps" --config "$PC" -q
"$M" patches "$W/synth" --truth "$W/synth" -o "$W/synth.mps" --config "$PC" -q
"$M" train "$W/real.mps:2" "$W/real_latents.mps:1.5" "$W/synth.mps:1" -o "$W/trained.mnm" \
    --config "$TC" --threads 2 -q \
    --note "real prints (FVC2002 DB1, NIST SD4/SD14; 140, consensus labels) x2, 420 latents degraded from them x1.5, 100 synthetic latents (seed 10000) x1; see models/README.md"
# calibration set: the validation prints and one latent made from each
"$M" degrade "$S/val" --truth "$S/val" -o "$W/val_latents" -n 1 --seed 8 -j 2 -q
rm -rf "$W/calibration"
mkdir -p "$W/calibration"
for f in "$S/val"/*; do ln -s "$(readlink -f "$f")" "$W/calibration/"; done
for f in "$W/val_latents"/*; do ln -s "$(readlink -f "$f")" "$W/calibration/latent_$(basename "$f")"; done
"$M" calibrate "$W/trained.mnm" "$W/calibration" --truth "$W/calibration" -o "$OUT" -j 2
