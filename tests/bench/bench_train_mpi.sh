#!/usr/bin/env bash
# Steps per second of `minutiae train` with P = 1 and P = 2 processes (docs/scale-out.md).
# usage: bench_train_mpi.sh MINUTIAE SET.mps CONFIG.yaml [REPEATS]
# Each figure is (steps of a long run - steps of a short run) / (time difference), so
# start-up and loading cancel; the median of REPEATS runs; the load average is printed
# with it (the machine may be shared).
M=${1:?usage: bench_train_mpi.sh MINUTIAE SET.mps CONFIG.yaml [REPEATS]}
SET=${2:?}
CFG=${3:?}
R=${4:-3}
export OMPI_ALLOW_RUN_AS_ROOT=1 OMPI_ALLOW_RUN_AS_ROOT_CONFIRM=1
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
SHORT=20 LONG=320
run() { # run STEPS THREADS [LAUNCHER...]: seconds
    local steps=$1 threads=$2
    shift 2
    rm -f "$T"/m.mnm*
    local s e
    s=$(date +%s.%N)
    "$@" "$M" train "$SET" -o "$T/m.mnm" --config "$CFG" -q --threads "$threads" --max-steps "$steps" >/dev/null 2>&1
    e=$(date +%s.%N)
    echo "$e - $s" | bc
}
rate() { # rate THREADS [LAUNCHER...]: steps/s of one repeat
    local a b
    a=$(run $SHORT "$@")
    b=$(run $LONG "$@")
    echo "($LONG - $SHORT) / ($b - $a)" | bc -l
}
median() { sort -g | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for cfg in "1 1" "1 2" "2 1"; do
    set -- $cfg
    p=$1 th=$2
    r=$(for i in $(seq "$R"); do
        if [ "$p" = 1 ]; then rate "$th"; else rate "$th" mpirun -n "$p" --bind-to none; fi
    done | median)
    printf 'P=%s, %s BLAS thread(s) per process: %8.1f steps/s   (load average %s)\n' "$p" "$th" "$r" "$(cut -d' ' -f1-3 /proc/loadavg)"
done
