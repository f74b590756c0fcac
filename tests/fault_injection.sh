#!/usr/bin/env bash
# Fault injection for `minutiae extract` (issue 10): kill -9 at random moments of a
# batch, each followed by --resume, then compare with a clean run byte for byte; then a
# full disk in the middle of a batch. Not part of ctest (minutes); run by hand:
#   bash tests/fault_injection.sh build/minutiae [IMAGES] [KILLS]
# Prints the figures for the notes; exits non-zero on any difference or leftover.
set -u
M=$(readlink -f "${1:?usage: fault_injection.sh MINUTIAE [IMAGES] [KILLS]}")
N=${2:-200}
KILLS=${3:-50}
T=$(mktemp -d)
cleanup() {
    mountpoint -q "$T/full" 2>/dev/null && umount "$T/full"
    rm -rf "$T"
}
trap cleanup EXIT
fail=0
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }

"$M" synth -o "$T/truth" -n "$N" --seed 9000 -q || exit 1
mkdir -p "$T/in"
cp "$T"/truth/latent_*[0-9].png "$T/in/"

t0=$(date +%s.%N)
"$M" extract "$T/in" -o "$T/clean" -j 2 -q || bad "clean run exit $?"
t1=$(date +%s.%N)
clean_s=$(echo "$t1 - $t0" | bc)
echo "clean run: $N images in ${clean_s} s"

# kill -9 at random moments; each time --resume again
RANDOM=4242
killed=0
for k in $(seq 1 "$KILLS"); do
    "$M" extract "$T/in" -o "$T/killed" -j 2 -q --resume 2>/dev/null &
    pid=$!
    # a moment anywhere in the first part of the remaining work
    sleep "0.$(printf '%03d' $((RANDOM % 1000)))"
    if kill -9 "$pid" 2>/dev/null; then killed=$((killed + 1)); fi
    wait "$pid" 2>/dev/null
done
"$M" extract "$T/in" -o "$T/killed" -j 2 -q --resume || bad "final resume exit $?"
echo "kill -9: $killed of $KILLS runs killed in flight, then a final --resume"

diffs=0
for f in "$T"/clean/*.iso "$T"/clean/*.json "$T"/clean/*.overlay.png; do
    case $f in */report.json) continue ;; esac
    cmp -s "$f" "$T/killed/$(basename "$f")" || diffs=$((diffs + 1))
done
n_clean=$(ls "$T/clean" | grep -c -E '\.(iso|json|overlay\.png)$')
n_killed=$(ls "$T/killed" | grep -c -E '\.(iso|json|overlay\.png)$')
echo "outputs compared: $n_clean clean, $n_killed after the kills, $diffs differ"
[ "$diffs" -eq 0 ] || bad "$diffs outputs differ from the clean run"
[ "$n_clean" -eq "$n_killed" ] || bad "file counts differ"
leftovers=$(find "$T/killed" -name '*.tmp.*' | wc -l)
echo "temporary files left: $leftovers"
[ "$leftovers" -eq 0 ] || bad "temporary files remain"

# a full disk in the middle of a batch: a 3 MB tmpfs holds about a third of the outputs
mkdir -p "$T/full"
if mount -t tmpfs -o size=3m tmpfs "$T/full" 2>/dev/null; then
    "$M" extract "$T/in" -o "$T/full/out" -j 2 -q 2>"$T/full.err"
    rc=$?
    ok=$(grep -o '"ok": [0-9]*' "$T/full/out/report.json" 2>/dev/null | head -1)
    nospace=$(grep -c "No space left on device" "$T/full.err")
    echo "full disk: exit $rc, report ${ok:-missing}, $nospace messages name ENOSPC"
    [ "$rc" -eq 74 ] || bad "full disk: exit $rc, expected 74"
    [ "$nospace" -gt 0 ] || bad "full disk: the reason is not reported"
    # every image has all three outputs or none
    partial=0
    for f in "$T"/in/*.png; do
        b=$(basename "${f%.png}")
        c=0
        for s in .iso .json .overlay.png; do [ -e "$T/full/out/$b$s" ] && c=$((c + 1)); done
        [ "$c" -eq 0 ] || [ "$c" -eq 3 ] || partial=$((partial + 1))
    done
    tmpleft=$(find "$T/full/out" -name '*.tmp.*' | wc -l)
    echo "full disk: $partial images with partial outputs, $tmpleft temporaries left"
    [ "$partial" -eq 0 ] || bad "full disk left partial outputs"
    [ "$tmpleft" -eq 0 ] || bad "full disk left temporaries"
    umount "$T/full"
else
    echo "full disk: skipped (cannot mount a tmpfs here)"
fi
echo "fault injection: $fail failure(s)"
[ "$fail" -eq 0 ]
