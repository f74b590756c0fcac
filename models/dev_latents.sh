#!/usr/bin/env bash
# The fixed development evaluation set: latents made by `minutiae degrade` from the real
# development prints, one set per level, each with a fixed seed.
#
# It READS ../shared/data/real/dev: its 80 FVC2002 DB2 set B prints (fvc2002db2b__*.png,
# 569 ppi, consensus labels in NAME.json), which lie outside the project and are never
# copied into it; the latents go to out/dev_latents/. The folder's cisl24218 image is
# left out: it is a photographed mark with a ruler, not a print to degrade. Those prints
# are for development evaluation only: never train or calibrate on these latents
# (../shared/data/real/README.md).
#
#   out/dev_latents/good/   seed 7001, level good
#   out/dev_latents/bad/    seed 7002, level bad
#   out/dev_latents/ugly/   seed 7003, level ugly
#
# Each folder holds per print NAME.png (500 ppi: the 569 ppi prints are resampled, the
# labels with them), NAME.json (every label, "hidden": true where the latent hides it or
# the consensus did), NAME.iso (the visible labels) and NAME.mask.png, with degrade's
# default settings (samples/degrade.yaml). The files depend only on these seeds and the
# settings, not on -j. Score an extractor on one level with, for example:
#   build/minutiae extract out/dev_latents/bad -o out/dev_run/bad -j 2
#   build/minutiae eval --truth out/dev_latents/bad --pred out/dev_run/bad
set -euo pipefail
M=${M:-build/minutiae}
DEV=${DEV:-../shared/data/real/dev}
W=${W:-out/dev_latents}
[ -d "$DEV" ] || { echo "dev_latents.sh: $DEV not found (the shared real prints)" >&2; exit 66; }
seed=7001
for level in good bad ugly; do
    rm -rf "$W/$level"
    "$M" degrade "$DEV"/fvc2002db2b__*.png --truth "$DEV" -o "$W/$level" --level "$level" --seed "$seed" -j "${JOBS:-2}" -q
    seed=$((seed + 1))
done
for level in good bad ugly; do
    n=$(ls "$W/$level"/*.iso | wc -l)
    echo "dev_latents.sh: $W/$level: $n latents"
done
