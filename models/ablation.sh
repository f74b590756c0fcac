#!/usr/bin/env bash
# The ablation of docs/training.md. One data set, one network size; what changes is the
# code the autoencoder phase learns:
#   sae     plain sparse autoencoder (KL only, group term off)
#   gsae    the same plus the group (l2,1) term, lambda_g = 1
#   gsae5   lambda_g = 5
#   ksparse k-sparse autoencoder (k = 24, 1.5 k at test time, no KL)
# Each is trained 6 autoencoder epochs, then the heads on the frozen code for 4 epochs
# (no fine-tuning), so the heads' validation accuracy measures the code itself. Also
# draws the mean hidden activation per class (build/activation_png).
set -euo pipefail
M=${M:-build/minutiae}
A=${A:-build/activation_png}
W=${W:-out/ablation}
mkdir -p "$W" docs/img
[ -s "$W/set.mps" ] || {
    "$M" synth -o "$W/lat" -n 150 --seed 40000 -j 2 -q
    "$M" patches "$W/lat" --truth "$W/lat" -o "$W/set.mps" --config models/patches.yaml -q
}
base='train:\n  epochs_autoencoder: 6\n  epochs_heads: 4\n  epochs_finetune: 0\n  patience: 0\n  seed: 3\n'
printf "model:\n  hidden: 192\n  w_cls: 1\n  lambda_g: 0\n$base" >"$W/sae.yaml"
printf "model:\n  hidden: 192\n  w_cls: 1\n  lambda_g: 1\n$base" >"$W/gsae.yaml"
printf "model:\n  hidden: 192\n  w_cls: 1\n  lambda_g: 5\n$base" >"$W/gsae5.yaml"
printf "model:\n  hidden: 192\n  w_cls: 1\n  lambda_g: 0\n  beta: 0\n  k_sparse: 24\n  k_alpha: 1.5\n$base" >"$W/ksparse.yaml"
echo "variant,phase,epoch,step,train_loss,val_loss,val_rec,val_group,val_acc_minutia,val_f1_minutia,val_acc_type,val_acc_direction,val_acc_foreground"
for v in sae gsae gsae5 ksparse; do
    "$M" train "$W/set.mps" -o "$W/$v.mnm" --config "$W/$v.yaml" --threads 2 -q
    echo "$v,$(tail -1 "$W/$v.mnm.log.csv")"
    "$A" "$W/$v.mnm" "$W/set.mps" "docs/img/activation_$v.png" "$v: mean activation per unit (red minutia, blue non-minutia)" >&2
done
