#!/usr/bin/env bash
# docs/evaluation.md, real data: a model (default: the embedded one; MODEL=FILE for
# another) on the 80 development prints of ../shared/data/real/dev (FVC2002 DB2 set B,
# 569 ppi, consensus labels) and on the latents models/dev_latents.sh makes from them
# (good, bad, ugly), scored by `minutiae eval` at 15 px / 30 degrees (scaled to the
# image's ppi). These are test data: measured only, never used to choose anything.
set -euo pipefail
M=${M:-build/minutiae}
W=${W:-out/evaluation_real}
DEV=${DEV:-../shared/data/real/dev}
DL=${DL:-out/dev_latents}
model=()
[ -n "${MODEL:-}" ] && model=(--model "$MODEL")
[ -d "$DEV" ] || { echo "evaluate_real.sh: $DEV not found (the shared real prints)" >&2; exit 66; }
[ -d "$DL/ugly" ] || M="$M" W="$DL" DEV="$DEV" bash "$(dirname "$0")/dev_latents.sh"
mkdir -p "$W"
"$M" extract "$DEV"/fvc2002db2b__*.png -o "$W/dev" -j 2 -q "${model[@]}"
echo "dev prints: $("$M" eval --truth "$DEV" --pred "$W/dev" -o "$W/dev_report" | sed -n 2p)"
for level in good bad ugly; do
    "$M" extract "$DL/$level" -o "$W/$level" -j 2 -q "${model[@]}"
    echo "dev latents $level: $("$M" eval --truth "$DL/$level" --pred "$W/$level" -o "$W/${level}_report" | sed -n 2p)"
done
