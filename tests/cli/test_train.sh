#!/usr/bin/env bash
# End-to-end: synth -> patches -> train; an interrupted run resumed from its checkpoint
# gives the same model bytes as an uninterrupted one, also for a weighted mixture of
# sources; divergence and bad inputs fail cleanly.
M=${1:?usage: test_train.sh MINUTIAE}
. "$(dirname "$0")/lib.sh"

check "synth" 0 "$M" synth -o "$T/lat" -n 10 --seed 300 --size 320x384 -q
check "patches" 0 "$M" patches "$T/lat" --truth "$T/lat" -o "$T/set.mps" -q
check "patches help" 0 "$M" patches --help
check "patches no truth" 65 "$M" patches "$T/lat" --truth "$T/nowhere" -o "$T/x.mps" -q
cat >"$T/small.yaml" <<'YAML'
model:
  hidden: 24
train:
  batch: 32
  epochs_autoencoder: 1
  epochs_heads: 1
  epochs_finetune: 1
  patience: 0
YAML
check "train" 0 "$M" train "$T/set.mps" -o "$T/a.mnm" --config "$T/small.yaml" --threads 1 -q
# unlabelled patches for the autoencoder: no truth, mixed with labelled ones
check "patches unlabelled" 0 "$M" patches "$T/lat" --unlabelled 30 -o "$T/unlab.mps"
check "patches unlabelled with truth" 64 "$M" patches "$T/lat" --unlabelled 30 --truth "$T/lat" -o "$T/x.mps" -q
check "train with unlabelled" 0 "$M" train "$T/set.mps" "$T/unlab.mps:0.5" -o "$T/u.mnm" --config "$T/small.yaml" --threads 1 -q
[ -s "$T/u.mnm" ] && ok || bad "no model from a mixture with unlabelled patches"
[ -s "$T/a.mnm" ] && ok || bad "no model"
[ -e "$T/a.mnm.ckpt" ] && bad "checkpoint left after success" || ok
[ "$(wc -l <"$T/a.mnm.log.csv")" -eq 4 ] && ok || bad "log rows: $(wc -l <"$T/a.mnm.log.csv")"
check "train interrupted" 0 "$M" train "$T/set.mps" -o "$T/b.mnm" --config "$T/small.yaml" --threads 1 -q --max-steps 7
[ -s "$T/b.mnm.ckpt" ] && ok || bad "no checkpoint after --max-steps"
[ -e "$T/b.mnm" ] && bad "model written by an interrupted run" || ok
check "train resumed twice" 0 "$M" train "$T/set.mps" -o "$T/b.mnm" --config "$T/small.yaml" --threads 1 -q --resume --max-steps 5
check "train resumed" 0 "$M" train "$T/set.mps" -o "$T/b.mnm" --config "$T/small.yaml" --threads 1 -q --resume
cmp -s "$T/a.mnm" "$T/b.mnm" && ok || bad "resumed model differs from the uninterrupted one"
check "train again" 0 "$M" train "$T/set.mps" -o "$T/c.mnm" --config "$T/small.yaml" --threads 1 -q
cmp -s "$T/a.mnm" "$T/c.mnm" && ok || bad "same seed and threads gave different weights"

# early stopping (issue 10 item 11): after a phase stops early, the next phase's first
# epoch runs its full number of batches (every log row advances the step by the same
# number of batches). lr 0.05 and patience 1 make the heads phase stop after epoch 3.
sed -e 's/patience: 0/patience: 1/' -e 's/epochs_heads: 1/epochs_heads: 4/' -e 's/epochs_finetune: 1/epochs_finetune: 2/' \
    -e 's/batch: 32/batch: 32\n  lr: 0.05/' "$T/small.yaml" >"$T/early.yaml"
check "train with early stopping" 0 "$M" train "$T/set.mps" -o "$T/e.mnm" --config "$T/early.yaml" --threads 1
expect_in "a phase stopped early" "$T/err" "heads phase stops early"
awk -F, 'NR == 2 { per = $3 } NR > 1 { if ($3 - prev != per) { print "row " NR ": step " $3 " after " prev; bad = 1 } prev = $3 }
         END { exit bad }' "$T/e.mnm.log.csv" >"$T/steps" && ok || bad "an epoch ran another number of batches: $(cat "$T/steps")"

# patches read on demand (--stream): the same weights, bit for bit, as in memory
check "train streamed" 0 "$M" train "$T/set.mps" -o "$T/st.mnm" --config "$T/small.yaml" --threads 1 -q --stream
cmp -s "$T/a.mnm" "$T/st.mnm" && ok || bad "streamed training differs from training in memory"
check "streamed interrupted" 0 "$M" train "$T/set.mps" -o "$T/sr.mnm" --config "$T/small.yaml" --threads 1 -q --max-steps 7
check "resumed streamed" 0 "$M" train "$T/set.mps" -o "$T/sr.mnm" --config "$T/small.yaml" --threads 1 -q --resume --stream
cmp -s "$T/a.mnm" "$T/sr.mnm" && ok || bad "in memory, then resumed streamed, differs"
head -c 1000 "$T/set.mps" >"$T/cut_s.mps"
check "streamed truncated set" 65 "$M" train "$T/cut_s.mps" -o "$T/t.mnm" --stream
cp "$T/set.mps" "$T/flip.mps"
printf '\x07' | dd of="$T/flip.mps" bs=1 seek=5000 conv=notrunc status=none
check "streamed corrupt set" 65 "$M" train "$T/flip.mps" -o "$T/t.mnm" --stream
expect_in "streamed corrupt set named" "$T/err" "flip.mps: .*checksum mismatch"
check "streamed missing set" 66 "$M" train "$T/none.mps" -o "$T/t.mnm" --stream

# a build without MPI started by mpirun (here: its environment) refuses instead of
# training once per process into the same files
if ! ldd "$M" 2>/dev/null | grep -q libmpi; then
    check "no MPI in this build" 64 env OMPI_COMM_WORLD_SIZE=2 "$M" train "$T/set.mps" -o "$T/np.mnm" --config "$T/small.yaml" -q
    expect_in "no MPI named" "$T/err" "this build has no MPI"
fi

# a mixture: set.mps with weight 3 on the command line, set2.mps with weight 1 from
# data.sources (paths relative to the current directory)
in_dir() { local dir=$1; shift; (cd "$dir" && "$@"); }
check "synth second source" 0 "$M" synth -o "$T/lat2" -n 4 --seed 900 --size 320x384 -q
check "patches second source" 0 "$M" patches "$T/lat2" --truth "$T/lat2" -o "$T/set2.mps" -q
{ cat "$T/small.yaml"; printf 'data:\n  sources:\n    - {set: set2.mps, weight: 1}\n'; } >"$T/mix.yaml"
check "train mixture" 0 in_dir "$T" "$M" train set.mps:3 -o mix.mnm --config mix.yaml --threads 1
expect_in "mixture shares printed" "$T/err" "set.mps: weight 3 (share 0.750)"
grep -aq 'set: "set.mps"' "$T/mix.mnm" && grep -aq 'set: "set2.mps"' "$T/mix.mnm" && ok || bad "card lacks the sets"
grep -aA1 'set: "set.mps"' "$T/mix.mnm" | grep -q "weight: 3" && grep -aA2 'set: "set2.mps"' "$T/mix.mnm" | grep -q "share: 0.25" && ok ||
    bad "card lacks the weights and shares"
check "mixture interrupted" 0 in_dir "$T" "$M" train set.mps:3 -o mixr.mnm --config mix.yaml --threads 1 -q --max-steps 9
check "mixture resumed twice" 0 in_dir "$T" "$M" train set.mps:3 -o mixr.mnm --config mix.yaml --threads 1 -q --resume --max-steps 40
check "mixture resumed" 0 in_dir "$T" "$M" train set.mps:3 -o mixr.mnm --config mix.yaml --threads 1 -q --resume
cmp -s "$T/mix.mnm" "$T/mixr.mnm" && ok || bad "resumed mixture differs from the uninterrupted one"
check "mixture streamed" 0 in_dir "$T" "$M" train set.mps:3 -o mixs.mnm --config mix.yaml --threads 1 -q --stream
cmp -s "$T/mix.mnm" "$T/mixs.mnm" && ok || bad "streamed mixture differs from the mixture in memory"
check "mixture interrupted again" 0 in_dir "$T" "$M" train set.mps:3 -o mixw.mnm --config mix.yaml --threads 1 -q --max-steps 5
check "resume with other weights" 78 in_dir "$T" "$M" train set.mps:2 -o mixw.mnm --config mix.yaml --threads 1 -q --resume
expect_in "other weights refused" "$T/err" "other patch sets or weights"
cmp -s "$T/mix.mnm" "$T/a.mnm" && bad "the mixture trained like the single set" || ok
printf 'data:\n  sources:\n    - {set: %s, weight: 1}\n    - {set: %s, weight: 3}\n' "$T/set.mps" "$T/set2.mps" >"$T/only.yaml"
cat "$T/small.yaml" >>"$T/only.yaml"
check "train from data.sources only" 0 "$M" train -o "$T/only.mnm" --config "$T/only.yaml" --threads 1 -q
printf 'data:\n  sources:\n    - {set: %s, weight: -2}\n' "$T/set.mps" >"$T/negw.yaml"
check "negative weight" 78 "$M" train -o "$T/x.mnm" --config "$T/negw.yaml" -q
expect_in "negative weight names file and key" "$T/err" "negw.yaml: line 3: data.sources\[0\].weight"
printf 'data:\n  sources:\n    - {set: %s, weight: 0}\n' "$T/set.mps" >"$T/zerow.yaml"
check "all weights zero" 78 "$M" train -o "$T/x.mnm" --config "$T/zerow.yaml" -q
expect_in "all weights zero named" "$T/err" "zerow.yaml: every training source has weight 0"
printf 'data:\n  sources:\n    - {set: %s, wieght: 1}\n' "$T/set.mps" >"$T/keyw.yaml"
check "source key typo" 78 "$M" train -o "$T/x.mnm" --config "$T/keyw.yaml" -q
expect_in "source key typo named" "$T/err" "unknown setting 'data.sources\[0\].wieght'"
check "command-line weight below 0" 64 "$M" train "$T/set.mps:-1" -o "$T/x.mnm" -q
printf 'data:\n  sources:\n    - {set: %s}\n' "$T/none.mps" >"$T/nosuch.yaml"
check "data.sources set missing" 66 "$M" train -o "$T/x.mnm" --config "$T/nosuch.yaml" -q
check "no set at all" 64 "$M" train -o "$T/x.mnm" -q

check "calibrate" 0 "$M" calibrate "$T/a.mnm" "$T/lat" --truth "$T/lat" -o "$T/cal.mnm"
grep -q "best F1" "$T/out" && ok || bad "calibrate printed no result"
grep -aq "calibration:" "$T/cal.mnm" && ok || bad "no calibration section in the card"
check "extract with the calibrated model" 0 "$M" extract "$T/lat/latent_000300.png" -o "$T/ex" --model "$T/cal.mnm" -q
check "patches hard negatives" 0 "$M" patches "$T/lat" --truth "$T/lat" -o "$T/hard.mps" --hard-negatives "$T/a.mnm" --hard-threshold 0
grep -q "of which [1-9][0-9]* hard" "$T/err" && ok || bad "no hard negatives added"
printf 'model:\n  hidden: 16\n  hidden1: 24\n  decoder: sigmoid\ntrain:\n  batch: 32\n  epochs_autoencoder: 1\n  epochs_heads: 1\n  epochs_finetune: 1\n' >"$T/deep.yaml"
check "train two layers" 0 "$M" train "$T/set.mps" -o "$T/deep.mnm" --config "$T/deep.yaml" --threads 1 -q
grep -aq "hidden1: 24" "$T/deep.mnm" && grep -aq "decoder: sigmoid" "$T/deep.mnm" && ok || bad "card lacks the architecture"
check "extract two layers" 0 "$M" extract "$T/lat/latent_000300.png" -o "$T/exd" --model "$T/deep.mnm" -q
printf 'model:\n  decoder: cubic\n' >"$T/baddec.yaml"
check "bad decoder" 78 "$M" train "$T/set.mps" -o "$T/x.mnm" --config "$T/baddec.yaml"
check "train note" 0 "$M" train "$T/set.mps" -o "$T/n1.mnm" --config "$T/small.yaml" --threads 1 -q --note "lab set 7"
grep -aq 'note: "lab set 7"' "$T/n1.mnm" && ok || bad "note missing from the card"
check "train bad note" 64 "$M" train "$T/set.mps" -o "$T/n2.mnm" --note 'a"b'
printf 'model:\n  w_cls: 1e300\ntrain:\n  batch: 32\n  epochs_autoencoder: 0\n' >"$T/nan.yaml"
check "train diverges" 78 "$M" train "$T/set.mps" -o "$T/n.mnm" --config "$T/nan.yaml" --threads 1 -q
grep -q "diverged" "$T/err" && ok || bad "no divergence message"
printf 'train:\n  bacth: 3\n' >"$T/typo.yaml"
check "train config typo" 78 "$M" train "$T/set.mps" -o "$T/t.mnm" --config "$T/typo.yaml"
head -c 1000 "$T/set.mps" >"$T/cut.mps"
check "train truncated set" 65 "$M" train "$T/cut.mps" -o "$T/t.mnm"
check "train missing set" 66 "$M" train "$T/none.mps" -o "$T/t.mnm"
printf 'MNTMODEL garbage' >"$T/g.mnm.ckpt"
check "train bad checkpoint" 65 "$M" train "$T/set.mps" -o "$T/g.mnm" --config "$T/small.yaml" --resume -q

# progress: plain lines in a log (no carriage returns), a warning for a useless model
check "train to a log" 0 "$M" train "$T/set.mps" -o "$T/l.mnm" --config "$T/small.yaml" --threads 1
grep -q $'\r' "$T/err" && bad "carriage returns in a log that is not a terminal" || ok
grep -q "epoch 1/1" "$T/err" && ok || bad "no epoch lines in the log"
f1=$(tail -1 "$T/l.mnm.log.csv" | cut -d, -f9)
if awk "BEGIN { exit !($f1 < 0.1) }"; then
    expect_in "near-zero F1 warned" "$T/err" "validation F1 of the minutia head is only"
else
    grep -q "validation F1 of the minutia head is only" "$T/err" && bad "warned at validation F1 $f1" || ok
fi
check "useless model warned even with -q" 0 "$M" train "$T/set.mps" -o "$T/l2.mnm" --config "$T/small.yaml" --threads 1 -q \
    --epochs 0
expect_in "warning with -q" "$T/err" "validation F1 of the minutia head is only"

# --init: fine-tune the embedded default model; its patch settings must be the sets'
cat >"$T/default_patches.yaml" <<'YAML'
patch:
  size: 32
  grid: 16
  ridge_smoothing: 10
  orientation_smoothing: 10
YAML
check "patches as the default model's" 0 "$M" patches "$T/lat" --truth "$T/lat" -o "$T/d.mps" --config "$T/default_patches.yaml" -q
cat >"$T/ft.yaml" <<'YAML'
train:
  batch: 64
  lr: 0.0005
  epochs_autoencoder: 0
  epochs_heads: 1
  epochs_finetune: 1
  patience: 0
YAML
check "fine-tune default" 0 "$M" train "$T/d.mps" --init default -o "$T/ft.mnm" --config "$T/ft.yaml" --threads 1 -q
grep -q "^autoencoder," "$T/ft.mnm.log.csv" && bad "fine-tuning pre-trained the autoencoder again" || ok
grep -q "^finetune," "$T/ft.mnm.log.csv" && ok || bad "no fine-tuning epoch"
grep -a -q "fine_tuned_from: \"default\"" "$T/ft.mnm" && ok || bad "the card does not say what was fine-tuned"
grep -a -q "^    format: minutiae GSAE model" "$T/ft.mnm" && ok || bad "the card does not keep the previous card"
grep -a -q "^  hidden1: 256" "$T/ft.mnm" && ok || bad "fine-tuning changed the architecture"
grep -a -q "^  threshold: 0.67" "$T/ft.mnm" && ok || bad "fine-tuning dropped the model's calibrated threshold"
check "fine-tuned model extracts" 0 "$M" extract "$T/lat/latent_000300.png" -o "$T/ftx" --model "$T/ft.mnm" -q
check "fine-tune a fine-tuned model" 0 "$M" train "$T/d.mps" --init "$T/ft.mnm" -o "$T/ft2.mnm" --config "$T/ft.yaml" --threads 1 -q
grep -a -q "^        format: minutiae GSAE model" "$T/ft2.mnm" && ok || bad "the history of a fine-tuned model is lost"
check "init with other patch settings" 78 "$M" train "$T/set.mps" --init default -o "$T/bad.mnm" --config "$T/ft.yaml" -q
expect_in "patch settings named" "$T/err" "cut them with the model's patch settings"
check "init missing model" 66 "$M" train "$T/d.mps" --init "$T/nope.mnm" -o "$T/bad.mnm" --config "$T/ft.yaml" -q

# multi-scale input: patches with a context window train a model of twice the inputs
# that extracts; a set without the window cannot be mixed in; a context that does not
# fit the grid is refused with its key
printf 'patch:\n  context: 2\n' >"$T/ctx.yaml"
check "patches with context" 0 "$M" patches "$T/lat" --truth "$T/lat" -o "$T/ctx.mps" --config "$T/ctx.yaml" -q
check "train with context" 0 "$M" train "$T/ctx.mps" -o "$T/ctx.mnm" --config "$T/small.yaml" --threads 1 -q
grep -a -q "^  input: 512" "$T/ctx.mnm" && ok || bad "a context model does not take 512 inputs"
grep -a -q "^  context: 2" "$T/ctx.mnm" && ok || bad "the card does not record the context"
check "extract with a context model" 0 "$M" extract "$T/lat/latent_000300.png" -o "$T/ctxx" --model "$T/ctx.mnm" --threshold 0.01 -q
grep -q '"x"' "$T/ctxx/latent_000300.json" && ok || bad "a context model found nothing at threshold 0.01"
check "mixing sets with and without context" 65 "$M" train "$T/ctx.mps" "$T/set.mps" -o "$T/mix.mnm" --config "$T/small.yaml" --threads 1 -q
expect_in "context named" "$T/err" "context"
check "streaming sets with and without context" 65 "$M" train "$T/ctx.mps" "$T/set.mps" -o "$T/mix.mnm" --config "$T/small.yaml" --threads 1 -q --stream
expect_in "context named when streamed" "$T/err" "context"
printf 'patch:\n  context: 5\n' >"$T/ctx5.yaml"
check "context out of range" 78 "$M" patches "$T/lat" --truth "$T/lat" -o "$T/x.mps" --config "$T/ctx5.yaml" -q
expect_in "context key named" "$T/err" "patch.context"

finish
