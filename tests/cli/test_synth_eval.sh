#!/usr/bin/env bash
# End-to-end: synth makes byte-identical files whatever -j, eval scores a truth folder
# against itself as F1 = 1 and against flipped angles as 0 unless --deg 360.
M=${1:?usage: test_synth_eval.sh MINUTIAE}
. "$(dirname "$0")/lib.sh"

check "synth help" 0 "$M" synth --help
check "synth needs -o" 64 "$M" synth -n 1
check "synth bad level" 64 "$M" synth -o "$T/x" --level awful
check "synth bad size" 64 "$M" synth -o "$T/x" --size 10x10
printf 'print:\n  widht: 3\n' >"$T/bad.yaml"
check "synth bad config" 78 "$M" synth -o "$T/x" --config "$T/bad.yaml"
check "synth missing config" 66 "$M" synth -o "$T/x" --config "$T/nope.yaml"
check "synth j1" 0 "$M" synth -o "$T/a" -n 4 --seed 7 --size 320x384 -q -j 1
check "synth j2" 0 "$M" synth -o "$T/b" -n 4 --seed 7 --size 320x384 -q -j 2
n=$(ls "$T/a" | wc -l)
[ "$n" -eq 16 ] && ok || bad "expected 16 files, got $n"
same=1
for f in "$T"/a/*; do cmp -s "$f" "$T/b/$(basename "$f")" || same=0; done
[ $same -eq 1 ] && ok || bad "synth output depends on -j"
check "synth clean" 0 "$M" synth -o "$T/c" -n 1 --clean --size 320x384 -q
grep -q '"level": "clean"' "$T"/c/*.json && ok || bad "clean level missing"
grep -q '"hidden": true' "$T"/c/*.json && bad "clean print has hidden minutiae" || ok
check "inspect synth iso" 0 "$M" inspect "$T"/a/latent_000007.iso
grep -q '"level": "\(good\|bad\|ugly\)"' "$T/a/latent_000007.json" && ok || bad "level missing"
grep -q '"class": "' "$T/a/latent_000007.json" && ok || bad "class missing"

check "eval self json" 0 "$M" eval --truth "$T/a" --pred "$T/a" --pred-ext .json --json
[ "$(json_num f1 "$T/out")" = "1.0000" ] && ok || bad "self F1 (json) is $(json_num f1 "$T/out")"
check "eval self iso" 0 "$M" eval --truth "$T/a" --pred "$T/a" --json -o "$T/report"
[ "$(json_num f1 "$T/out")" = "1.0000" ] && ok || bad "self F1 (iso) is $(json_num f1 "$T/out")"
grep -q '"per_level"' "$T/out" && ok || bad "per_level missing"
[ -s "$T/report/pr.png" ] && ok || bad "pr.png missing"
[ "$(wc -l <"$T/report/eval.csv")" -eq 5 ] && ok || bad "eval.csv rows"

# flip every angle by 180 degrees. Close pairs (an ending and a bifurcation about a
# period apart) often face each other, so a flipped minutia can legitimately pair with
# its neighbour: the flip test uses prints without close pairs.
printf 'print:\n  close_pair_share: 0\n  min_spacing: 3\n' >"$T/sparse.yaml"
check "synth sparse" 0 "$M" synth -o "$T/s" -n 4 --seed 11 --size 320x384 -q --config "$T/sparse.yaml"
mkdir -p "$T/flip"
for f in "$T"/s/*.json; do
    awk '{ while (match($0, /"angle": [0-9.]+/)) { v = substr($0, RSTART + 9, RLENGTH - 9) + 180; if (v >= 360) v -= 360;
           printf "%s\"angle\": %.2f", substr($0, 1, RSTART - 1), v; $0 = substr($0, RSTART + RLENGTH) } print }' "$f" >"$T/flip/$(basename "$f")"
done
check "eval flipped" 0 "$M" eval --truth "$T/s" --pred "$T/flip" --pred-ext .json --json
[ "$(json_num f1 "$T/out")" = "0.0000" ] && ok || bad "flipped F1 is $(json_num f1 "$T/out")"
check "eval flipped location only" 0 "$M" eval --truth "$T/s" --pred "$T/flip" --pred-ext .json --json --deg 360
[ "$(json_num f1 "$T/out")" = "1.0000" ] && ok || bad "flipped location-only F1 is $(json_num f1 "$T/out")"

# xyt predictions in the NIST frame take the height from the truth
for f in "$T"/a/*.iso; do "$M" convert "$f" "$T/flip/$(basename "${f%.iso}").xyt" || bad "convert to xyt"; done
check "eval xyt" 0 "$M" eval --truth "$T/a" --pred "$T/flip" --pred-ext .xyt --json
[ "$(json_num recall "$T/out")" = "1.0000" ] && ok || bad "xyt recall is $(json_num recall "$T/out")"
rm "$T/flip/latent_000008.xyt"
check "eval missing prediction" 0 "$M" eval --truth "$T/a" --pred "$T/flip" --pred-ext .xyt --json
grep -q '"missing": 1' "$T/out" && ok || bad "missing not counted"
check "eval no truth dir" 66 "$M" eval --truth "$T/none" --pred "$T/a"
check "eval needs pred" 64 "$M" eval --truth "$T/a"

finish
