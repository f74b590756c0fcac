#!/usr/bin/env bash
# End-to-end: `minutiae overlay` over a synthetic latent from an ISO, an xyt (with and
# without --height), a JSON truth with --compare, a mask; and its errors (missing
# template, a template of another size, a wrong --height, marks outside the image, bad
# output targets, an output over an input).
M=${1:?usage: test_overlay.sh MINUTIAE}
. "$(dirname "$0")/lib.sh"

# width and height of a PNG from its IHDR
png_size() { od -An -tu1 -j16 -N8 "$1" | awk '{ printf "%d %d\n", $1 * 16777216 + $2 * 65536 + $3 * 256 + $4, $5 * 16777216 + $6 * 65536 + $7 * 256 + $8 }'; }

check "synth" 0 "$M" synth -o "$T/s" -n 1 --seed 5 -q
L=$T/s/latent_000005
check "overlay help" 0 "$M" overlay --help
expect_in "help names --compare" "$T/out" "--compare FILE"
check "help via main" 0 "$M" help overlay
check "no arguments" 64 "$M" overlay

# an ISO template over its latent
check "overlay iso" 0 "$M" overlay "$L.png" --minutiae "$L.iso" -o "$T/iso.png"
expect_in "summary line" "$T/out" "minutiae drawn"
[ -s "$T/iso.png" ] && ok || bad "no overlay written"
read -r w h <<<"$(png_size "$T/iso.png")"
[ "$w" -gt 640 ] && [ "$h" -ge 640 ] && ok || bad "overlay is ${w}x${h}: no margin beside the 640x640 image"
ls "$T" | grep -q '\.tmp' && bad "temporary file left" || ok

# the same marks as NIST xyt: --height given, and taken from the image
check "convert to xyt" 0 "$M" convert "$L.iso" "$T/m.xyt"
check "overlay xyt --height" 0 "$M" overlay "$L.png" --minutiae "$T/m.xyt" --height 640 -o "$T/xyt.png" -q
[ -s "$T/xyt.png" ] && [ ! -s "$T/out" ] && ok || bad "xyt overlay missing, or -q printed"
check "overlay xyt, image height" 0 "$M" overlay "$L.png" --minutiae "$T/m.xyt" -o "$T/xyt2.png" -q
cmp -s "$T/xyt.png" "$T/xyt2.png" && ok || bad "xyt with --height 640 differs from xyt read with the image's height"
check "overlay xyt wrong height" 65 "$M" overlay "$L.png" --minutiae "$T/m.xyt" --height 700 -o "$T/bad.png"
expect_in "wrong height named" "$T/err" "640x640"
[ -e "$T/bad.png" ] && bad "an overlay written for a mismatched template" || ok

# the truth JSON as the examiner's marks against the ISO: every visible truth minutia pairs
check "overlay compare" 0 "$M" overlay "$L.png" --minutiae "$L.iso" --compare "$L.json" --compare-label examiner \
    --title "case 1" --mask "$L.mask.png" --threshold 0.5 --scores -o "$T/cmp.png"
n_iso=$("$M" inspect "$L.iso" | grep -c '^ *[0-9]')
expect_in "all pairs" "$T/out" "$n_iso pairs within 15 px"
[ -s "$T/cmp.png" ] && ok || bad "no compare overlay"

# errors
check "missing template" 66 "$M" overlay "$L.png" --minutiae "$T/nothing.iso" -o "$T/x.png"
expect_in "missing template named" "$T/err" "nothing.iso"
check "missing image" 66 "$M" overlay "$T/nothing.png" --minutiae "$L.iso" -o "$T/x.png"
check "synth other size" 0 "$M" synth -o "$T/o" -n 1 --seed 6 --size 512x480 -q
check "mismatched size" 65 "$M" overlay "$L.png" --minutiae "$T/o/latent_000006.iso" -o "$T/x.png"
expect_in "sizes in the message" "$T/err" "made for a 512x480 image"
check "mismatched mask" 65 "$M" overlay "$L.png" --minutiae "$L.iso" --mask "$T/o/latent_000006.mask.png" -o "$T/x.png"
[ -e "$T/x.png" ] && bad "output written on an error" || ok
printf '10 10 0 50\n700 20 90 50\n30 900 180 50\n' >"$T/far.m1.xyt"
check "marks outside" 0 "$M" overlay "$L.png" --minutiae "$T/far.m1.xyt" --xyt-frame m1 -o "$T/far.png"
expect_in "outside reported" "$T/err" "2 minutiae outside the 640x640 image, not drawn (rows 1, 2)"
expect_in "outside counted" "$T/out" "1 minutiae drawn, 2 outside the image"
check "output is a folder" 73 "$M" overlay "$L.png" --minutiae "$L.iso" -o "$T/s"
check "output not regular" 73 "$M" overlay "$L.png" --minutiae "$L.iso" -o /dev/null
check "output in a missing folder" 73 "$M" overlay "$L.png" --minutiae "$L.iso" -o "$T/none/x.png"
cp "$L.iso" "$T/keep.iso"
check "output over the template" 64 "$M" overlay "$L.png" --minutiae "$T/keep.iso" -o "$T/keep.iso"
cmp -s "$L.iso" "$T/keep.iso" && ok || bad "the template was overwritten"
check "hide without threshold" 64 "$M" overlay "$L.png" --minutiae "$L.iso" --hide -o "$T/x.png"
check "bad threshold" 64 "$M" overlay "$L.png" --minutiae "$L.iso" --threshold 2 -o "$T/x.png"
finish
