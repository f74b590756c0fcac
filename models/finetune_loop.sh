#!/usr/bin/env bash
# The examiner's loop, measured (issue 12): latents degraded from real labelled prints
# stand in for an examiner's corrected marks. 20 latents of some fingers are the
# "corrections" (their truth = the corrected JSON), 20 latents of other fingers are
# scored before and after fine-tuning the default model on them:
#   extract -> review -> export corrected JSON -> patches -> train --init -> extract
# Fingers: the corrections come from FVC2002 DB1 set B fingers 109 and 110, the scored
# latents from DB1 set A fingers 5, 10, ..., 100: both in models/real_split.sh's
# validation part, so neither was used to train the default model; dev is not touched.
# usage: models/finetune_loop.sh [SEED...]   (fine-tuning seeds, default 1 2 3)
set -euo pipefail
M=${M:-build/minutiae}
W=${W:-out/finetune_loop}
R=${R:-../shared/data/real/train}
SEEDS=${*:-1 2 3}
mkdir -p "$W"
W="$W" R="$R" bash "$(dirname "$0")/real_split.sh" >/dev/null
pick() { # pick SRC DST PATTERN N: the first N latents of SRC matching PATTERN, with truth
    mkdir -p "$2"
    ls "$1"/$3*.png | grep -v '\.mask\.png$' | head -n "$4" | while read -r f; do
        s=${f%.png}
        ln -sf "$(readlink -f "$f")" "$2/"
        ln -sf "$(readlink -f "$s.json")" "$2/"
    done
}
rm -rf "$W/lat_b" "$W/lat_a" "$W/corrections" "$W/scored"
"$M" degrade "$W"/val/fvc2002db1b__*.png --truth "$W/val" -o "$W/lat_b" -n 2 --seed 9100 -j 2 -q
"$M" degrade "$W"/val/fvc2002db1a__*.png --truth "$W/val" -o "$W/lat_a" -n 2 --seed 9200 -j 2 -q
pick "$W/lat_b" "$W/corrections" fvc2002db1b 20
pick "$W/lat_a" "$W/scored" fvc2002db1a 20
score() { # score MODEL_OPTION... : best F1 and F1 at the model's threshold on the scored set
    rm -rf "$W/run"
    "$M" extract "$W/scored" -o "$W/run" -j 2 -q --no-review "$@"
    "$M" eval --truth "$W/scored" --pred "$W/run" --json | tr -d '\n' | sed 's/, "location_only".*//' |
        sed 's/.*"precision": \([0-9.]*\), "recall": \([0-9.]*\), "f1": \([0-9.]*\), "best_f1": \([0-9.]*\).*/P \1 R \2 F1 \3 best F1 \4/'
}
echo "before (default model): $(score)"
"$M" patches "$W/corrections" --truth "$W/corrections" -o "$W/corrections.mps" --config models/patches.yaml -q
for seed in $SEEDS; do
    sed "s/^  seed: .*/  seed: $seed/" models/finetune.yaml >"$W/finetune.$seed.yaml"
    "$M" train "$W/corrections.mps" --init default -o "$W/finetuned.$seed.mnm" --config "$W/finetune.$seed.yaml" -q
    echo "after (fine-tuned, seed $seed): $(score --model "$W/finetuned.$seed.mnm")"
done
