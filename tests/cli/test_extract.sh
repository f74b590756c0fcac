#!/usr/bin/env bash
# End-to-end: synth a few latents, extract them in a batch with corrupt files among
# them, check the exit code, the reports, every good image's outputs, -j determinism,
# --resume, extra formats, and that eval finds real agreement with the truth.
M=${1:?usage: test_extract.sh MINUTIAE}
. "$(dirname "$0")/lib.sh"

check "synth" 0 "$M" synth -o "$T/truth" -n 6 --seed 777 -q
mkdir -p "$T/in"
cp "$T"/truth/latent_*[0-9].png "$T/in/"
printf 'not an image at all' >"$T/in/corrupt.png"
head -c 3000 "$T/truth/latent_000777.png" >"$T/in/truncated.png"
check "extract help" 0 "$M" extract --help
check "extract batch" 65 "$M" extract "$T/in" -o "$T/out1" -j 2 -q
grep -q '"failed": 2' "$T/out1/report.json" && ok || bad "report does not count 2 failures"
grep -q '"ok": 6' "$T/out1/report.json" && ok || bad "report does not count 6 successes"
[ "$(wc -l <"$T/out1/report.csv")" -eq 9 ] && ok || bad "report.csv rows"
grep -q "model_sha256" "$T/out1/report.json" && ok || bad "no model digest"
grep -q "corrupt.png" "$T/out1/index.html" && ok || bad "failure missing from the gallery"
for f in "$T"/in/latent_*.png; do
    n=$(basename "${f%.png}")
    for s in .iso .json .overlay.png; do [ -s "$T/out1/$n$s" ] && ok || bad "missing $n$s"; done
done
ls "$T/out1" | grep -q '\.tmp\.' && bad "temporary files left" || ok
[ -e "$T/out1/corrupt.iso" ] && bad "output for a corrupt input" || ok
check "inspect output" 0 "$M" inspect "$T"/out1/latent_000777.iso

check "extract j1" 65 "$M" extract "$T/in" -o "$T/out2" -j 1 -q
same=1
for f in "$T"/out1/*.iso "$T"/out1/*.json; do
    case $f in */report.json) continue ;; esac
    cmp -s "$f" "$T/out2/$(basename "$f")" || same=0
done
[ $same -eq 1 ] && ok || bad "outputs depend on -j"

# real agreement: far better than the same detections moved by 40 pixels
check "eval" 0 "$M" eval --truth "$T/truth" --pred "$T/out1" --json
f1=$(json_num best_f1 "$T/out")
mkdir -p "$T/moved"
for f in "$T"/out1/latent_*.json; do
    awk '{ while (match($0, /"x": [0-9.]+/)) { v = substr($0, RSTART + 5, RLENGTH - 5) + 0; v = v < 320 ? v + 40 : v - 40;
           printf "%s\"x\": %.2f", substr($0, 1, RSTART - 1), v; $0 = substr($0, RSTART + RLENGTH) } print }' "$f" >"$T/moved/$(basename "$f")"
done
check "eval moved" 0 "$M" eval --truth "$T/truth" --pred "$T/moved" --pred-ext .json --json
f1m=$(json_num best_f1 "$T/out")
# 0.81 measured on these six with the shipped model (fresh synthetic set: 0.82): a
# regression of a few points fails here
awk "BEGIN { exit !($f1 >= 0.75 && $f1 >= 3 * $f1m) }" && ok || bad "best F1 $f1 below 0.75 or not real agreement (moved control $f1m)"

check "extract resume" 65 "$M" extract "$T/in" -o "$T/out1" --resume -q
grep -q '"skipped": 6' "$T/out1/report.json" && ok || bad "resume did not skip the complete images"

check "extract formats" 0 "$M" extract "$T/in/latent_000778.png" -o "$T/out3" -q --formats ansi,xyt,xyt-m1,iso2011,prob
for s in .ansi .xyt .m1.xyt .iso2011 .prob.png; do [ -s "$T/out3/latent_000778$s" ] && ok || bad "missing $s"; done
check "inspect ansi" 0 "$M" inspect "$T/out3/latent_000778.ansi"
check "inspect iso2011" 0 "$M" inspect "$T/out3/latent_000778.iso2011"
check "bad formats" 64 "$M" extract "$T/in/latent_000778.png" -o "$T/out3" --formats pdf
check "threshold 0" 0 "$M" extract "$T/in/latent_000778.png" -o "$T/out4" -q --threshold 0
n0=$(grep -c '"x"' "$T/out4/latent_000778.json")
n1=$(grep -c '"x"' "$T/out3/latent_000778.json")
[ "$n0" -ge "$n1" ] && ok || bad "threshold 0 kept fewer minutiae ($n0 < $n1)"
# --config overrides the model card; the report says what was used
printf 'detection:\n  direction_weight: 0\n  roi_margin: 6\n  quality_weight: 0.5\n' >"$T/det.yaml"
check "config" 0 "$M" extract "$T/in/latent_000778.png" -o "$T/out13" -q --config "$T/det.yaml"
grep -q '"direction_weight": 0.00, "region": "segmented", "region_threshold": 0.00, "roi_margin": 6.00' "$T/out13/report.json" && ok || bad "report does not show the config"
grep -q '"direction_weight": 1.00, "region": "segmented", "region_threshold": 0.00, "roi_margin": 0.00, "ridge_smoothing": 10.00' "$T/out3/report.json" && ok || bad "report does not show the model card's settings"
printf 'detection:\n  direction_weight: 2\n' >"$T/bad.yaml"
check "config out of range" 78 "$M" extract "$T/in/latent_000778.png" -o "$T/out14" -q --config "$T/bad.yaml"
expect_in "the key at fault" "$T/err" "detection.direction_weight: 2 outside 0..1"
grep -q "nms_radius" "$T/err" && bad "the message lists constraints of other keys" || ok
printf 'detection:\n  region_threshold: 0.5\n' >"$T/region.yaml"
check "learned region without a foreground head" 78 "$M" extract "$T/in/latent_000778.png" -o "$T/out14" -q --config "$T/region.yaml"
# coordinates of --mirror --invert, --ppi 1000 and --mask are checked in test_extract_job
check "mirror invert" 0 "$M" extract "$T/in/latent_000778.png" -o "$T/out5" -q --mirror --invert
check "ppi refused" 65 "$M" extract "$T/in/latent_000778.png" -o "$T/out6" -q --ppi 300
check "ppi 1000" 0 "$M" extract "$T/in/latent_000778.png" -o "$T/out7" -q --ppi 1000
check "mask" 0 "$M" extract "$T/in/latent_000778.png" -o "$T/out8" -q --mask "$T/truth/latent_000778.mask.png"
check "mask dir" 65 "$M" extract "$T/in" -o "$T/out9" -q --mask-dir "$T/truth"
check "no inputs" 66 "$M" extract "$T/nothing" -o "$T/out10"
check "bad model" 65 "$M" extract "$T/in" -o "$T/out11" --model "$T/in/corrupt.png"
# root ignores file modes: /proc is a place nobody can create files in
check "unwritable" 73 "$M" extract "$T/in/latent_000778.png" -o /proc/minutiae-test
printf '%s\n' "$T/in/latent_000777.png" "# comment" "$T/in/latent_000778.png" >"$T/list.txt"
check "list" 0 "$M" extract --list "$T/list.txt" -o "$T/out12" -q
[ -s "$T/out12/latent_000778.iso" ] && ok || bad "list input not processed"

finish
