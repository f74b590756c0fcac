#!/usr/bin/env bash
# A fuzzing campaign: every target in turn, from a copy of its seed corpus, until it
# has run RUNS inputs or SECONDS seconds (the first reached), then one table row each.
#   tests/fuzz/campaign.sh FUZZ_BUILD_DIR WORK_DIR [RUNS [SECONDS [TARGET...]]]
# RUNS defaults to 10000000, SECONDS to 1800. WORK_DIR/<target>/ keeps the grown corpus,
# the log and any crasher; WORK_DIR/results.md gets one row per target as it finishes.
# libFuzzer stops a target at its first crasher: the row then says 1 and the campaign
# goes on with the next target (fix, then run that target again). A target whose
# binary is missing gets a row saying so.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
build=${1:?usage: campaign.sh FUZZ_BUILD_DIR WORK_DIR [RUNS [SECONDS [TARGET...]]]}
work=${2:?usage: campaign.sh FUZZ_BUILD_DIR WORK_DIR [RUNS [SECONDS [TARGET...]]]}
runs=${3:-10000000}
seconds=${4:-1800}
shift $(( $# < 4 ? $# : 4 ))
targets=("$@")
if [ ${#targets[@]} -eq 0 ]; then
    targets=($(sed -n '/set(MNT_FUZZ_TARGETS/,/)/p' "$here/targets.cmake" |
               sed 's/set(MNT_FUZZ_TARGETS//; s/)//'))
fi
mkdir -p "$work"
results=$work/results.md
[ -f "$results" ] || {
    echo "| target | time (s) | executions | exec/s | edges | features | corpus | crashes | slow units |"
    echo "|---|---|---|---|---|---|---|---|---|"
} > "$results"

for t in "${targets[@]}"; do
    bin=$build/fuzz_$t
    if [ ! -x "$bin" ]; then
        echo "campaign: $bin is missing" >&2
        echo "| $t | missing | | | | | | | |" >> "$results"
        continue
    fi
    dir=$work/$t
    # the artifacts of an earlier campaign in this folder are not this run's
    [ -d "$dir/artifacts" ] && mv "$dir/artifacts" "$dir/artifacts.$(date +%s)"
    mkdir -p "$dir/corpus" "$dir/artifacts"
    # seeds, but not the kept crashers (they are fixed and replayed by ctest)
    find "$here/corpus/$t" -maxdepth 1 -type f ! -name 'crash-*' -exec cp -n {} "$dir/corpus/" \;
    start=$(date +%s)
    "$bin" -runs="$runs" -max_total_time="$seconds" -print_final_stats=1 \
        -artifact_prefix="$dir/artifacts/" -close_fd_mask=3 "$dir/corpus" \
        > "$dir/log" 2>&1
    rc=$?
    elapsed=$(( $(date +%s) - start ))
    execs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$dir/log" | tail -1)
    rate=$(sed -n 's/^stat::average_exec_per_sec: *//p' "$dir/log" | tail -1)
    # the last status line carries the final cov: and ft: counts and the corpus size
    last=$(grep -E '^#[0-9]+' "$dir/log" | tail -1)
    edges=$(sed -n 's/.* cov: \([0-9]*\).*/\1/p' <<<"$last")
    feats=$(sed -n 's/.* ft: \([0-9]*\).*/\1/p' <<<"$last")
    corp=$(sed -n 's/.* corp: \([0-9]*\/[0-9A-Za-z]*\).*/\1/p' <<<"$last")
    # crash-, leak-, timeout- and oom- files are findings; a slow-unit- file is an input
    # that once took over 10 s (on a shared machine, often a stall of the process)
    crashes=$(find "$dir/artifacts" -type f ! -name 'slow-unit-*' | wc -l)
    if [ "$rc" -ne 0 ] && [ "$crashes" -eq 0 ]; then crashes="exit $rc"; fi
    echo "| $t | $elapsed | ${execs:-?} | ${rate:-?} | ${edges:-?} | ${feats:-?} | ${corp:-?} | $crashes | $(find "$dir/artifacts" -type f -name 'slow-unit-*' | wc -l) |" >> "$results"
    echo "campaign: $t done in ${elapsed}s, ${execs:-?} executions, ${edges:-?} edges, crashes: $crashes"
done
