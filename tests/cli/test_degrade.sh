#!/usr/bin/env bash
# End-to-end: synth makes clean labelled prints, degrade turns them into latents (the
# same files whatever -j), patches cuts them and eval scores their truth against itself
# as F1 = 1; labels carried over where nothing hides them; bad inputs are reported and
# skipped; no input is ever overwritten; 1000 ppi output.
M=${1:?usage: test_degrade.sh MINUTIAE}
. "$(dirname "$0")/lib.sh"

check "degrade help" 0 "$M" degrade --help
expect_in "help lists mixed" "$T/out" "mixed"
check "degrade in the command list" 0 "$M" --help
expect_in "command list" "$T/out" "degrade"
check "clean prints" 0 "$M" synth -o "$T/clean" -n 3 --seed 21 --size 320x352 --clean -q
check "degrade needs --truth" 64 "$M" degrade "$T/clean" -o "$T/x"
check "degrade bad level" 64 "$M" degrade "$T/clean" --truth "$T/clean" -o "$T/x" --level awful
check "degrade bad output ppi" 64 "$M" degrade "$T/clean" --truth "$T/clean" -o "$T/x" --output-ppi 700
printf 'levels:\n  good:\n    p_invrt: 1\n' >"$T/typo.yaml"
check "degrade config typo" 78 "$M" degrade "$T/clean" --truth "$T/clean" -o "$T/x" --config "$T/typo.yaml"
check "degrade missing input" 66 "$M" degrade "$T/nothing" --truth "$T/clean" -o "$T/x"

check "degrade j1" 0 "$M" degrade "$T/clean" --truth "$T/clean" -o "$T/a" --seed 4 -n 2 -j 1 -q
check "degrade j2" 0 "$M" degrade "$T/clean" --truth "$T/clean" -o "$T/b" --seed 4 -n 2 -j 2 -q
n=$(ls "$T/a" | wc -l)
[ "$n" -eq 24 ] && ok || bad "expected 24 files (3 prints x 2 copies x 4), got $n"
same=1
for f in "$T"/a/*; do cmp -s "$f" "$T/b/$(basename "$f")" || same=0; done
[ $same -eq 1 ] && ok || bad "degrade output depends on -j"
cmp -s "$T/a/latent_000021_c1.png" "$T/a/latent_000021_c2.png" && bad "two copies are identical" || ok
grep -q '"level": "\(good\|bad\|ugly\)"' "$T/a/latent_000021_c1.json" && ok || bad "level missing"
grep -q '"ppi": 500' "$T/a/latent_000021_c1.json" && ok || bad "ppi not 500"
# the ISO truth holds the visible minutiae only
hid=0
for f in "$T"/a/*.json; do
    all=$(grep -c '"x":' "$f")
    h=$(grep -c '"hidden": true' "$f")
    hid=$((hid + h))
    "$M" inspect "${f%.json}.iso" >"$T/iso.txt" || bad "inspect $(basename "${f%.json}").iso"
    grep -q " $((all - h)) minutiae" "$T/iso.txt" && ok || bad "$(basename "$f"): ISO does not hold the $((all - h)) visible of $all"
done
[ "$hid" -gt 0 ] && ok || bad "no latent hides a minutia"
check "degrade another seed" 0 "$M" degrade "$T/clean" --truth "$T/clean" -o "$T/c" --seed 5 -n 2 -q
cmp -s "$T/a/latent_000021_c1.png" "$T/c/latent_000021_c1.png" && bad "another seed gives the same latent" || ok

# the output feeds patches and eval directly
check "patches from degraded" 0 "$M" patches "$T/a" --truth "$T/a" -o "$T/set.mps" -q
expect_in "patches made" "$T/err" "patches from 6 images"
check "eval self json" 0 "$M" eval --truth "$T/a" --pred "$T/a" --pred-ext .json --json
[ "$(json_num f1 "$T/out")" = "1.0000" ] && ok || bad "self F1 (json) is $(json_num f1 "$T/out")"
check "eval self iso" 0 "$M" eval --truth "$T/a" --pred "$T/a" --json
[ "$(json_num f1 "$T/out")" = "1.0000" ] && ok || bad "self F1 (iso) is $(json_num f1 "$T/out")"

# nothing hides and nothing moves: the labels are the input's, shifted by the margin
# (and at 1000 ppi scaled by 2 about pixel centres), in the same order
cat >"$T/quiet.yaml" <<'YAML'
levels:
  good: {visible_area: 1, unevenness: 0, breaks: 0, smudges: 0, distortion: 0, blotches: 0}
YAML
# same_labels IN OUT SCALE: every minutia of OUT at (IN + 32 + 0.5) SCALE - 0.5, same angle and type
same_labels() {
    "$M" inspect "$1" >"$T/in.txt" && "$M" inspect "$2" >"$T/out.txt" || return 1
    awk -v s="$3" -v e="$(awk -v s="$3" 'BEGIN { print 0.006 * s + 0.006 }')" 'FNR == NR { if ($1 ~ /^[0-9]+$/) { x[$1] = $2; y[$1] = $3; a[$1] = $4; t[$1] = $5; n++ } next }
        $1 ~ /^[0-9]+$/ { m++; if (!($1 in x) || $5 != t[$1] || $4 != a[$1] ||
                          (x[$1] + 32.5) * s - 0.5 - $2 > e || (x[$1] + 32.5) * s - 0.5 - $2 < -e ||
                          (y[$1] + 32.5) * s - 0.5 - $3 > e || (y[$1] + 32.5) * s - 0.5 - $3 < -e) bad++ }
        END { exit !(n > 10 && m == n && !bad) }' "$T/in.txt" "$T/out.txt"
}
check "degrade quiet" 0 "$M" degrade "$T/clean" --truth "$T/clean" -o "$T/q" --level good --config "$T/quiet.yaml" -q
same_labels "$T/clean/latent_000022.json" "$T/q/latent_000022.json" 1 && ok || bad "labels not carried over"
h=$(grep -c '"hidden": true' "$T/q/latent_000022.json")
[ "$h" -le 2 ] && ok || bad "quiet latent hides $h minutiae"

# 1000 ppi output: twice the size, truth scaled, eval at 30 px
check "degrade 1000 ppi" 0 "$M" degrade "$T/clean/latent_000021.png" --truth "$T/clean" -o "$T/k" --output-ppi 1000 --level good --config "$T/quiet.yaml" -q
grep -q '"ppi": 1000' "$T/k/latent_000021.json" && ok || bad "ppi not 1000"
grep -q '"width": 768' "$T/k/latent_000021.json" && ok || bad "width not (320 + 2 x 32) x 2"
same_labels "$T/clean/latent_000021.json" "$T/k/latent_000021.json" 2 && ok || bad "1000 ppi labels not scaled"
check "eval self 1000" 0 "$M" eval --truth "$T/k" --pred "$T/k" --json
[ "$(json_num f1 "$T/out")" = "1.0000" ] && ok || bad "1000 ppi self F1 is $(json_num f1 "$T/out")"

# a bad input is reported and skipped, the others written
mkdir -p "$T/mixed"
cp "$T/clean"/latent_000021.* "$T/mixed/"
printf 'not a png' >"$T/mixed/broken.png"
cp "$T/clean/latent_000022.png" "$T/mixed/orphan.png"
check "degrade with bad inputs" 65 "$M" degrade "$T/mixed" --truth "$T/mixed" -o "$T/m" -q
expect_in "broken reported" "$T/err" "minutiae: $T/mixed/broken.png: "
expect_in "orphan reported" "$T/err" "minutiae: $T/mixed/orphan.png: no truth file"
[ -s "$T/m/latent_000021.png" ] && ok || bad "good input not written"
[ -e "$T/m/broken.png" ] && bad "broken input written" || ok

# -r walks subfolders into one output folder; two inputs of one name are refused
mkdir -p "$T/tree/x/y" "$T/tree/z"
cp "$T/clean/latent_000021.png" "$T/tree/x/y/"
cp "$T/clean/latent_000022.png" "$T/tree/z/"
check "degrade -r" 0 "$M" degrade "$T/tree" -r --truth "$T/clean" -o "$T/r" -q
[ -s "$T/r/latent_000021.png" ] && [ -s "$T/r/latent_000022.json" ] && ok || bad "-r outputs missing"
cp "$T/clean/latent_000022.png" "$T/tree/x/"
check "degrade -r duplicate names" 64 "$M" degrade "$T/tree" -r --truth "$T/clean" -o "$T/r2" -q
expect_in "duplicate reported" "$T/err" "two inputs are named 'latent_000022'"

# never overwrite an input, and leave no temporary files
cp -r "$T/mixed" "$T/keep"
rm "$T/mixed/broken.png" "$T/mixed/orphan.png" "$T/keep/broken.png" "$T/keep/orphan.png"
check "degrade onto its input" 73 "$M" degrade "$T/mixed" --truth "$T/mixed" -o "$T/mixed" -q
expect_in "overwrite refused" "$T/err" "would overwrite an input"
same=1
for f in "$T"/keep/*; do cmp -s "$f" "$T/mixed/$(basename "$f")" || same=0; done
[ $same -eq 1 ] && ok || bad "an input was changed"
ls -a "$T/a" "$T/m" | grep -q '\.tmp' && bad "temporary files left" || ok

finish
