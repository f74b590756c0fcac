#!/usr/bin/env bash
# The ablation of docs/evaluation.md: does the group-sparse code help on real data?
# Four variants of the shipped recipe (models/train.yaml, same patch sets), each trained
# with three seeds, calibrated on the validation prints and their latents (as the
# shipped model is) and then measured, never tuned, on ../shared/data/real/dev (80 real
# prints, 569 ppi) and on the latents models/dev_latents.sh makes from them:
#   recipe  the shipped settings (lambda_g 0.05, KL beta 0.1, autoencoder phase, joint
#           fine-tuning with the autoencoder's terms)
#   gsae    the group (l2,1) term raised to lambda_g = 1
#   sae     plain sparse autoencoder: lambda_g = 0
#   noae    no autoencoder at all: no autoencoder phase, fine-tuning on the heads'
#           loss only (the encoder is a plain hidden layer)
# and counts the class-specific code units of each (build/activation_png). To keep the
# cost down (12 models) it trains on the real prints and their latents only, with
# half the recipe's epochs. Needs the sets of models/build_default.sh in $B.
set -euo pipefail
M=${M:-build/minutiae}
A=${A:-build/activation_png}
B=${B:-out/model_build}
W=${W:-out/ablation_real}
DEV=${DEV:-../shared/data/real/dev}
DL=${DL:-out/dev_latents}
mkdir -p "$W"
[ -d "$DL/good" ] || M="$M" bash "$(dirname "$0")/dev_latents.sh"
variant() { # name, extra YAML lines
    { sed -e 's/^  epochs_autoencoder: .*/  epochs_autoencoder: 2/' -e 's/^  epochs_finetune: .*/  epochs_finetune: 5/' \
          -e 's/^  epochs_heads: .*/  epochs_heads: 1/' models/train.yaml | grep -v '^  seed:\|^  lambda_g:\|^  finetune_autoencoder:'
      printf '%b' "$2"; } >"$W/$1.yaml.in"
}
variant recipe 'model:\n  lambda_g: 0.05\n'
variant gsae 'model:\n  lambda_g: 1\n'
variant sae 'model:\n  lambda_g: 0\n'
variant noae 'model:\n  lambda_g: 0\n'
echo "variant,seed,dev_P,dev_R,dev_F1,good_F1,bad_F1,ugly_F1,minutia_units,non_minutia_units"
for v in recipe gsae sae noae; do
    for seed in 1 2 3; do
        n="$W/${v}_$seed"
        # later keys win in one YAML map: merge by writing the sections once
        python3 - "$W/$v.yaml.in" "$seed" "$v" >"$n.yaml" <<'PY'
import sys, re
text = open(sys.argv[1]).read(); seed = sys.argv[2]; v = sys.argv[3]
base, extra = text.split('model:\n  lambda_g', 1)
extra = '  lambda_g' + extra
base = base.replace('model:\n', 'model:\n' + extra, 1)
base = base.replace('train:\n', 'train:\n  seed: %s\n  finetune_autoencoder: %d\n' % (seed, 0 if v == 'noae' else 1), 1)
if v == 'noae':
    base = re.sub(r'(?m)^  epochs_autoencoder: .*$', '  epochs_autoencoder: 0', base)
print(base, end='')
PY
        "$M" train "$B/real.mps:2" "$B/real_latents.mps:1.5" -o "$n.mnm" --config "$n.yaml" --threads 2 -q
        "$M" calibrate "$n.mnm" "$B/calibration" --truth "$B/calibration" -o "$n.cal.mnm" -j 2 >/dev/null
        "$M" extract "$DEV" -o "$n.dev" --model "$n.cal.mnm" -j 2 -q
        dev=$("$M" eval --truth "$DEV" --pred "$n.dev" | sed -n 2p)
        row="$v,$seed,$(echo "$dev" | awk '{print $3","$5","$7}')"
        for lv in good bad ugly; do
            "$M" extract "$DL/$lv" -o "$n.$lv" --model "$n.cal.mnm" -j 2 -q
            row="$row,$("$M" eval --truth "$DL/$lv" --pred "$n.$lv" | sed -n 2p | awk '{print $7}')"
        done
        units=$("$A" "$n.mnm" "$B/real.mps" "$n.activation.png" "$v seed $seed" 2>&1 | grep -o 'class-specific units: [0-9]* minutia, [0-9]* non-minutia' | tr -dc '0-9 ' | awk '{print $1","$2}')
        echo "$row,$units"
    done
done
