#!/usr/bin/env bash
# Data-parallel training over MPI: `mpirun -n 2 minutiae train` gives the weights of one
# process within float tolerance (the global batch, its KL and group statistics and the
# heads' normalisation are those of one process); rank 0 alone writes the log, the
# checkpoint and the model; --resume continues under MPI, with the same or another
# number of processes.
M=${1:?usage: test_train_mpi.sh MINUTIAE MODEL_DIFF MPIRUN}
DIFF=${2:?}
MPIRUN=${3:?}
. "$(dirname "$0")/lib.sh"
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
mpi() { local n=$1; shift; "$MPIRUN" -n "$n" --oversubscribe --bind-to none "$@"; }

check "synth" 0 "$M" synth -o "$T/lat" -n 10 --seed 300 --size 320x384 -q
check "patches" 0 "$M" patches "$T/lat" --truth "$T/lat" -o "$T/set.mps" -q
# every batch-level term on: KL (beta), group sparsity (lambda_g), two encoder layers;
# a batch of 33 splits unevenly (16 + 17)
cat >"$T/mpi.yaml" <<'YAML'
model:
  hidden: 24
  hidden1: 32
  beta: 3
  lambda_g: 0.5
train:
  batch: 33
  epochs_autoencoder: 2
  epochs_heads: 1
  epochs_finetune: 2
  patience: 0
YAML
check "train P=1" 0 "$M" train "$T/set.mps" -o "$T/p1.mnm" --config "$T/mpi.yaml" --threads 1 -q
check "train P=2" 0 mpi 2 "$M" train "$T/set.mps" -o "$T/p2.mnm" --config "$T/mpi.yaml" --threads 1
expect_in "P=2 says so" "$T/err" "2 processes"
[ "$(grep -c "val loss" "$T/err")" -eq 5 ] && ok || bad "progress printed by more than rank 0: $(grep -c "val loss" "$T/err") lines"
[ "$(wc -l <"$T/p2.mnm.log.csv")" -eq 6 ] && ok || bad "log rows: $(wc -l <"$T/p2.mnm.log.csv") (rank 0 alone writes the log)"
grep -aq "processes: 2" "$T/p2.mnm" && ok || bad "card lacks the processes"
check "P=2 equals P=1" 0 "$DIFF" "$T/p1.mnm" "$T/p2.mnm" 1e-4
cat "$T/out"
# both processes reading the set on demand: the same bytes as in memory
check "train P=2 streamed" 0 mpi 2 "$M" train "$T/set.mps" -o "$T/p2s.mnm" --config "$T/mpi.yaml" --threads 1 -q --stream
cmp -s "$T/p2.mnm" "$T/p2s.mnm" && ok || bad "streamed P=2 differs from P=2 in memory"
# the comparison can fail: another seed is far away
sed 's/patience: 0/patience: 0\n  seed: 99/' "$T/mpi.yaml" >"$T/seed.yaml"
check "train another seed" 0 "$M" train "$T/set.mps" -o "$T/s.mnm" --config "$T/seed.yaml" --threads 1 -q
check "another seed differs" 1 "$DIFF" "$T/p1.mnm" "$T/s.mnm" 1e-4

# resume under MPI: the same processes give the uninterrupted P=2 model byte for byte
check "P=2 interrupted" 0 mpi 2 "$M" train "$T/set.mps" -o "$T/r.mnm" --config "$T/mpi.yaml" --threads 1 -q --max-steps 7
[ -s "$T/r.mnm.ckpt" ] && ok || bad "no checkpoint after --max-steps under MPI"
[ -e "$T/r.mnm" ] && bad "model written by an interrupted run" || ok
check "P=2 resumed twice" 0 mpi 2 "$M" train "$T/set.mps" -o "$T/r.mnm" --config "$T/mpi.yaml" --threads 1 -q --resume --max-steps 9
check "P=2 resumed" 0 mpi 2 "$M" train "$T/set.mps" -o "$T/r.mnm" --config "$T/mpi.yaml" --threads 1 -q --resume
cmp -s "$T/p2.mnm" "$T/r.mnm" && ok || bad "resumed P=2 model differs from the uninterrupted one"
[ -e "$T/r.mnm.ckpt" ] && bad "checkpoint left after success" || ok
# another number of processes: the state holds nothing per process
check "P=2 interrupted again" 0 mpi 2 "$M" train "$T/set.mps" -o "$T/q.mnm" --config "$T/mpi.yaml" --threads 1 -q --max-steps 11
check "resumed with P=1" 0 "$M" train "$T/set.mps" -o "$T/q.mnm" --config "$T/mpi.yaml" --threads 1 -q --resume
check "P=2 then P=1 equals P=1" 0 "$DIFF" "$T/p1.mnm" "$T/q.mnm" 1e-4

# more processes than patches in a batch: refused on every process
printf 'model:\n  hidden: 8\ntrain:\n  batch: 2\n' >"$T/tiny.yaml"
check "3 processes, batch 2" 78 mpi 3 "$M" train "$T/set.mps" -o "$T/x.mnm" --config "$T/tiny.yaml" --threads 1 -q
expect_in "too many processes named" "$T/err" "3 processes for batches of 2"
check "missing set under MPI" 66 mpi 2 "$M" train "$T/none.mps" -o "$T/x.mnm" -q

finish
