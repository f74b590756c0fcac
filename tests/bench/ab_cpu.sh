#!/bin/sh
# Speed A/B of two builds (a benchmark, not a test): `minutiae extract` of the same
# images with one job, the two builds alternately for ROUNDS rounds (which one goes
# first alternates too, after one warm-up run of each), and the CPU time (user +
# system) per image of each run. CPU time, not wall time, because a shared machine's
# other jobs disturb it less; alternating rounds spread what they still do.
# usage: ab_cpu.sh OLD_MINUTIAE NEW_MINUTIAE IMAGE_DIR [ROUNDS] [NEW_EXTRA_OPTIONS...]
# NEW_EXTRA_OPTIONS go to the new build only (for example --no-review, when the old
# build writes no review page). The image count is the rows of the run's report.csv
# (extract's own rules for what an image is). Prints one line per run and the medians.
set -u
old=$1 new=$2 dir=$3 rounds=${4:-5}
shift 3
[ $# -gt 0 ] && shift
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
one() { # build label extra...
    bin=$1 label=$2
    shift 2
    rm -rf "$work/out"
    /usr/bin/time -f "%U %S" -o "$work/t" env OPENBLAS_NUM_THREADS=1 "$bin" extract "$dir" -o "$work/out" -j 1 -q "$@" \
        >/dev/null 2>"$work/err"
    rc=$?
    n=$(($(wc -l <"$work/out/report.csv" 2>/dev/null || echo 1) - 1))
    if [ "$n" -le 0 ]; then
        echo "ab_cpu.sh: $label build: extract exit $rc, no report: $(head -c 300 "$work/err")" >&2
        exit 70
    fi
    [ "$rc" -eq 0 ] || echo "ab_cpu.sh: $label build: extract exit $rc (timed anyway)" >&2
    [ "${warm:-0}" -eq 1 ] && return 0
    awk -v n="$n" -v l="$label" '{ printf "%s %.1f ms CPU per image (%d images)\n", l, 1000 * ($1 + $2) / n, n }' "$work/t" |
        tee -a "$work/$label"
}
warm=1
one "$old" old
one "$new" new "$@"
warm=0
i=0
while [ $i -lt "$rounds" ]; do
    if [ $((i % 2)) -eq 0 ]; then
        one "$old" old
        one "$new" new "$@"
    else
        one "$new" new "$@"
        one "$old" old
    fi
    i=$((i + 1))
done
for l in old new; do
    sort -n -k2 "$work/$l" | awk -v l="$l" '{ v[NR] = $2 } END { printf "%s median %.1f ms CPU per image (%d runs)\n", l, v[int((NR + 1) / 2)], NR }'
done
