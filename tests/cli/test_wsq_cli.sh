#!/usr/bin/env bash
# End-to-end WSQ: convert to PGM / PNG, refusals, extract from a file and a folder.
# usage: test_wsq_cli.sh PATH/TO/minutiae SHARED_WSQ_DIR   (exit 77 = skipped without the data)
M=${1:?usage: test_wsq_cli.sh MINUTIAE WSQ_DIR}
W=${2:?usage: test_wsq_cli.sh MINUTIAE WSQ_DIR}
[ -r "$W/sd4_f0001_01.wsq" ] || { echo "skipped: no $W"; exit 77; }
. "$(dirname "$0")/lib.sh"

check "wsq to pgm" 0 "$M" convert "$W/sd4_f0001_01.wsq" "$T/a.pgm"
expect_in "pgm header" "$T/a.pgm" "512 512"
check "wsq to png" 0 "$M" convert "$W/sd4_f0001_01.wsq" "$T/a.png"
check "png back to pgm" 0 "$M" convert "$T/a.png" "$T/b.pgm"
if cmp -s "$T/a.pgm" "$T/b.pgm"; then ok; else bad "png and pgm of one decode differ"; fi
check "image to template extension" 64 "$M" convert "$W/sd4_f0001_01.wsq" "$T/a.iso"
expect_in "says png or pgm" "$T/err" ".png or .pgm"
check "image with --to" 64 "$M" convert --to iso "$W/sd4_f0001_01.wsq" "$T/a.png"
check "invalid wsq" 65 "$M" convert "$W/invalid_bad_dtt.wsq" "$T/x.pgm"
expect_in "names the fault" "$T/err" "expected a marker at byte 126"
[ ! -e "$T/x.pgm" ] && ok || bad "output written for an invalid input"

mkdir -p "$T/in"
cp "$W/sd4_f0001_01.wsq" "$W/invalid_truncated_50pct.wsq" "$T/in/"
check "extract a folder with wsq" 65 "$M" extract -q "$T/in" -o "$T/out1"
expect_in "wsq extracted" "$T/out1/report.json" '"ppi": 500.0, "ppi_assumed": false'
expect_in "truncated reported" "$T/out1/report.json" "truncated"
[ -s "$T/out1/sd4_f0001_01.iso" ] && ok || bad "no template for the wsq input"
finish
