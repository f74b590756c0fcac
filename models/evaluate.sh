#!/usr/bin/env bash
# docs/evaluation.md: the embedded default model on 60 fresh synthetic latents (seeds
# 30000..30059, 20 per level, never used in training or calibration), scored with
# `minutiae eval` at 15 px / 30 degrees; the PR curve goes to docs/img/pr_default.png.
set -euo pipefail
M=${M:-build/minutiae}
W=${W:-out/evaluation}
mkdir -p "$W" docs/img
"$M" synth -o "$W/truth" -n 60 --seed 30000 -j 2 -q
"$M" extract "$W/truth" -o "$W/default" -j 2 -q
"$M" extract "$W/truth" -o "$W/default_all_peaks" -j 2 -q --threshold 0
"$M" eval --truth "$W/truth" --pred "$W/default" -o "$W/report"
"$M" eval --truth "$W/truth" --pred "shipped threshold=$W/default" --pred "all peaks=$W/default_all_peaks" -o "$W/report_curve" --json >"$W/summary.json"
cp "$W/report_curve/pr.png" docs/img/pr_default.png
