#!/usr/bin/env bash
# The ablation of docs/training.md: the same network and data trained as the GSAE
# (group term on), as a plain sparse autoencoder (group term off) and as a k-sparse
# autoencoder, compared on held-out patches; plus the mean hidden activation per
# class of each (build/activation_png).
set -euo pipefail
M=${M:-build/minutiae}
A=${A:-build/activation_png}
W=${W:-out/ablation}
mkdir -p "$W" docs/img
"$M" synth -o "$W/lat" -n 150 --seed 40000 -j 2 -q
"$M" patches "$W/lat" --truth "$W/lat" -o "$W/set.mps" --config models/patches.yaml -q
base='train:\n  epochs_autoencoder: 6\n  epochs_heads: 4\n  epochs_finetune: 8\n  seed: 3\n'
printf "model:\n  hidden: 192\n  w_cls: 20\n  lambda_g: 0.05\n$base" >"$W/gsae.yaml"
printf "model:\n  hidden: 192\n  w_cls: 20\n  lambda_g: 0\n$base" >"$W/sae.yaml"
printf "model:\n  hidden: 192\n  w_cls: 20\n  lambda_g: 0\n  beta: 0\n  k_sparse: 24\n  k_alpha: 1.5\n$base" >"$W/ksparse.yaml"
for v in gsae sae ksparse; do
    "$M" train "$W/set.mps" -o "$W/$v.mnm" --config "$W/$v.yaml" --threads 2 -q
    echo "$v: $(tail -1 "$W/$v.mnm.log.csv")"
    "$A" "$W/$v.mnm" "$W/set.mps" "docs/img/activation_$v.png" "$v: mean activation per unit (red minutia, blue non-minutia)"
done
