#!/usr/bin/env bash
# End-to-end WSQ: convert to PGM / PNG and back to WSQ, refusals, extract from a file and a folder.
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
expect_in "says png, pgm or wsq" "$T/err" ".png, .pgm or .wsq"
check "image with --to" 64 "$M" convert --to iso "$W/sd4_f0001_01.wsq" "$T/a.png"
check "png to wsq" 0 "$M" convert "$W/sd4_f0001_01.orig.png" "$T/c.wsq"
check "wsq back to pgm" 0 "$M" convert "$T/c.wsq" "$T/c.pgm"
expect_in "round trip size" "$T/c.pgm" "512 512"
check "pgm to wsq at 2.25 with --ppi" 0 "$M" convert --bitrate 2.25 --ppi 1000 "$T/c.pgm" "$T/d.wsq"
check "wsq of 1000 ppi to png" 0 "$M" convert "$T/d.wsq" "$T/d.png"
check "bitrate for png output" 64 "$M" convert --bitrate 2 "$T/c.wsq" "$T/e.png"
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
