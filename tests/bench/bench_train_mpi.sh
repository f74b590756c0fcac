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
    "$@" "$M" train "$SET" -o "$T/m.mnm" --config "$CFG" -q --threads "$threads" --max-steps "$steps" $EXTRA >/dev/null 2>&1
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
# P THREADS [mpirun options] [-- train options]; mpi_yield_when_idle: a waiting rank
# gives its core away (the machine is shared and P = 2 fills its 2 cores)
for cfg in "1 1" "1 1 -- --stream" "1 2" "2 1" "2 1 --mca mpi_yield_when_idle 1"; do
    set -- $cfg
    p=$1 th=$2
    shift 2
    MPIOPT=() EXTRA=
    while [ $# -gt 0 ] && [ "$1" != -- ]; do MPIOPT+=("$1"); shift; done
    [ "${1:-}" = -- ] && { shift; EXTRA="$*"; }
    r=$(for i in $(seq "$R"); do
        if [ "$p" = 1 ]; then rate "$th"; else rate "$th" mpirun -n "$p" --bind-to none "${MPIOPT[@]}"; fi
    done | median)
    printf 'P=%s, %s BLAS thread(s) per process %-32s %8.1f steps/s   (load average %s)\n' "$p" "$th" "${MPIOPT[*]} $EXTRA" "$r" \
        "$(cut -d' ' -f1-3 /proc/loadavg)"
done
