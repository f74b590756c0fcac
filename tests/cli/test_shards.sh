#!/usr/bin/env bash
# Sharded extraction (issue 13): GNU parallel runs 3 shards into one folder, `report
# merge` joins them, and the result equals a single run byte for byte (per-image
# outputs) and in counts; the Slurm array script's shard arithmetic; missing and
# disagreeing shards. Exit 77 (ctest skip) without GNU parallel.
# usage: test_shards.sh PATH/TO/minutiae REPO_ROOT
M=$(readlink -f "${1:?usage: test_shards.sh MINUTIAE REPO}")
REPO=${2:?usage: test_shards.sh MINUTIAE REPO}
if ! command -v parallel >/dev/null; then
    echo "skipped: GNU parallel is not installed (apt-get install -y parallel)"
    exit 77
fi
. "$(dirname "$0")/lib.sh"

check "synth" 0 "$M" synth -o "$T/truth" -n 12 --seed 6100 -q
mkdir -p "$T/in/sub"
cp "$T"/truth/latent_00610[0-5].png "$T/in/"
cp "$T"/truth/latent_00610[6-9].png "$T"/truth/latent_00611[01].png "$T/in/sub/"
check "single run" 0 "$M" extract "$T/in" -o "$T/single" -r -q

# same_outputs A B: every per-image output of A is in B with the same bytes, and no more
same_outputs() {
    local a=$1 b=$2 n=0 diff=0 f rel
    while IFS= read -r f; do
        rel=${f#"$a"/}
        n=$((n + 1))
        cmp -s "$f" "$b/$rel" || diff=$((diff + 1))
    done < <(find "$a" -type f \( -name '*.iso' -o -name '*.overlay.png' -o -name 'latent_*.json' \))
    local nb
    nb=$(find "$b" -type f \( -name '*.iso' -o -name '*.overlay.png' -o -name 'latent_*.json' \) | wc -l)
    [ "$n" -eq 36 ] && [ "$nb" -eq "$n" ] && [ "$diff" -eq 0 ]
}
summary() { grep -o '"summary": {[^}]*}' "$1"; }

parallel -j 3 "$M" extract "$T/in" -o "$T/sharded" -r -q --shard {}/3 ::: 1 2 3 && ok || bad "parallel shards failed"
for k in 1 2 3; do [ -s "$T/sharded/report.$k-of-3.json" ] && ok || bad "no report of shard $k"; done
[ -e "$T/sharded/report.json" ] && bad "a shard wrote the whole batch's report" || ok
total=0
for k in 1 2 3; do total=$((total + $(grep -o '"images": [0-9]*' "$T/sharded/report.$k-of-3.json" | head -1 | sed 's/.*: //'))); done
[ "$total" -eq 12 ] && ok || bad "the shards hold $total images, not 12"
check "merge" 0 "$M" report merge "$T/sharded"
same_outputs "$T/single" "$T/sharded" && ok || bad "sharded outputs differ from the single run"
[ "$(summary "$T/single/report.json")" = "$(summary "$T/sharded/report.json")" ] && ok || bad "merged counts differ from the single run"
grep -q '"shards": {"n": 3, "found": 3, "missing": \[\]}' "$T/sharded/report.json" && ok || bad "merged report does not account for the shards"
grep -q 'sub/latent_006110.overlay.png' "$T/sharded/index.html" && ok || bad "merged gallery lacks an image of a subfolder"
check "merge again replaces its own report" 0 "$M" report merge "$T/sharded" -q

# the split does not depend on the order of listing
ls "$T"/in/*.png "$T"/in/sub/*.png | sort -r >"$T/rev.txt"
check "shard 2 of a reversed list" 0 "$M" extract --list "$T/rev.txt" -o "$T/rev" -q --shard 2/3
ls "$T"/in/*.png "$T"/in/sub/*.png | sort >"$T/fwd.txt"
check "shard 2 of a sorted list" 0 "$M" extract --list "$T/fwd.txt" -o "$T/fwd" -q --shard 2/3
[ "$(cd "$T/rev" && ls *.iso | sort)" = "$(cd "$T/fwd" && ls *.iso | sort)" ] && ok || bad "the shard depends on the listing order"

# the Slurm array script: task K of N runs shard K/N (tasks one after another here)
for k in 1 2 3; do
    SLURM_ARRAY_TASK_ID=$k SLURM_ARRAY_TASK_COUNT=3 SLURM_CPUS_PER_TASK=1 MINUTIAE="$M" \
        bash "$REPO/docs/scale-out/extract_array.sbatch" "$T/in" "$T/slurm" >"$T/out" 2>"$T/err" && ok || bad "array task $k failed"
done
MINUTIAE="$M" bash "$REPO/docs/scale-out/merge.sbatch" "$T/slurm" 2>"$T/err" && ok || bad "merge script failed"
same_outputs "$T/single" "$T/slurm" && ok || bad "array outputs differ from the single run"

# missing and disagreeing shards
rm "$T/slurm/report.3-of-3.json"
check "missing shard" 66 "$M" report merge "$T/slurm"
expect_in "missing named" "$T/err" "shard 3 of 3 is missing"
grep -q '"missing": \[3\]' "$T/slurm/report.json" && ok || bad "merged report does not name the missing shard"
check "other settings" 0 "$M" extract "$T/in" -o "$T/slurm" -r -q --shard 3/3 --threshold 0.3 --force
check "disagreeing shards" 78 "$M" report merge "$T/slurm"
expect_in "disagreement named" "$T/err" "another model or other settings"
check "bad shard" 64 "$M" extract "$T/in" -o "$T/x" --shard 4/3

finish
