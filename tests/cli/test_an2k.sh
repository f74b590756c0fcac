#!/usr/bin/env bash
# End-to-end ANSI/NIST-ITL: extract --formats an2k from a PNG (no shared data needed), then
# with the NBIS-written transactions: inspect, extract every image record (NAME.IDC.*),
# --resume, refusals, convert Type-9 to and from other formats.
# usage: test_an2k.sh PATH/TO/minutiae SHARED_AN2K_DIR   (the second half is skipped without it)
M=${1:?usage: test_an2k.sh MINUTIAE AN2K_DIR}
A=${2:-}
S="$(dirname "$0")/../../samples/latents"
. "$(dirname "$0")/lib.sh"

# a PNG input: NAME.an2 = Type-1 + Type-13 (PNG) + Type-9
check "extract png with an2k" 0 "$M" extract -q "$S/latent_000001.png" -o "$T/p" --formats an2k --no-review
[ -s "$T/p/latent_000001.an2" ] && ok || bad "no latent_000001.an2"
check "inspect the written transaction" 0 "$M" inspect "$T/p/latent_000001.an2"
expect_in "lists Type-13" "$T/out" "Type-13, IDC 1"
expect_in "lists PNG" "$T/out" "PNG"
expect_in "lists Type-9" "$T/out" "Type-9, IDC 1"
n_iso=$("$M" inspect --json "$T/p/latent_000001.iso" | grep -o '"x"' | wc -l)
n_an2=$("$M" inspect "$T/p/latent_000001.an2" | grep -c ' ending \| bifurcation \| other ')
[ "$n_iso" -eq "$n_an2" ] && [ "$n_iso" -gt 0 ] && ok || bad "Type-9 holds $n_an2 minutiae, the ISO $n_iso"
check "convert an2 to iso" 0 "$M" convert "$T/p/latent_000001.an2" "$T/p/back.iso"
check "convert iso to an2" 0 "$M" convert "$T/p/latent_000001.iso" "$T/p/again.an2"
check "convert --to an2k" 0 "$M" convert --to an2k "$T/p/latent_000001.json" "$T/p/again2.dat"
check "inspect converted" 0 "$M" inspect "$T/p/again.an2"
expect_in "converted has Type-9" "$T/out" "ANSI/NIST-ITL Type-9"
printf '1.001:12\0352.001:' >"$T/bad.an2"
check "garbage transaction refused" 65 "$M" inspect "$T/bad.an2"

if [ -z "$A" ] || [ ! -r "$A/t1_t4_t9_mindtct.an2" ]; then
    echo "skipped the NBIS part: no $A"
    finish
    exit $?
fi
check "inspect mindtct transaction" 0 "$M" inspect "$A/t1_t4_t9_mindtct.an2"
expect_in "Type-4 listed" "$T/out" "Type-4, IDC 1, 23329 bytes at offset 144, impression 3, 512x512 px, WSQ20, 500.00 ppi"
expect_in "Type-9 minutiae" "$T/out" "143 minutiae"
check "inspect invalid" 65 "$M" inspect "$A/invalid_cnt_wrong_type.an2"
expect_in "names the records" "$T/err" "record 2 (offset 134) is Type-14, 1.003 CNT says Type-13"

mkdir -p "$T/in"
cp "$A/t1_t4_t9_mindtct.an2" "$A/t1_t14_png197ppcm.an2" "$A/invalid_truncated.an2" "$T/in/"
cp "$A/t1_t14_wsq500.an2" "$T/in/case.eft"
check "extract a folder of transactions" 65 "$M" extract -q "$T/in" -o "$T/o" --formats an2k,xyt --no-review
for f in t1_t4_t9_mindtct.1.iso t1_t4_t9_mindtct.1.r4.iso t1_t14_png197ppcm.1.json case.1.an2 case.1.xyt; do
    [ -s "$T/o/$f" ] && ok || bad "missing $f"
done
expect_in "bad transaction reported" "$T/err" "invalid_truncated.an2: Type-14 record 2 (offset 134): field 14.001 LEN 10284 exceeds the file"
expect_in "record sha in provenance" "$T/o/case.1.json" "\"input_sha256\": \"$(tail -c +135 "$A/t1_t14_wsq500.an2" | sha256sum | cut -c1-64)\""
check "written case.1.an2 parses" 0 "$M" inspect "$T/o/case.1.an2"
expect_in "image record copied" "$T/out" "record 2: Type-14, IDC 1, 10284 bytes at offset"
off=$(grep -o 'Type-14, IDC 1, 10284 bytes at offset [0-9]*' "$T/out" | grep -o '[0-9]*$')
if cmp -s <(tail -c 10284 "$A/t1_t14_wsq500.an2") <(head -c $((off + 10284)) "$T/o/case.1.an2" | tail -c 10284); then ok; else bad "Type-14 record not copied byte for byte"; fi
check "resume keeps them" 65 "$M" extract "$T/in" -o "$T/o" --formats an2k,xyt --no-review --resume
expect_in "kept" "$T/err" "case.1: .*kept from an earlier run"
check "single transaction by content" 0 "$M" extract -q "$A/t1_t13_raw1000_latent.an2" -o "$T/o2" --no-review
[ -s "$T/o2/t1_t13_raw1000_latent.1.iso" ] && ok || bad "no NAME.1.iso for the Type-13 record"
expect_in "1000 ppi from the record" "$T/o2/report.json" '"ppi": 1000.0'
check "convert mindtct Type-9 to xyt" 0 "$M" convert "$A/t1_t14_t9_mindtct.an2" "$T/m.m1.xyt"
[ "$(wc -l <"$T/m.m1.xyt")" -eq 53 ] && ok || bad "53 minutiae expected in $T/m.m1.xyt"
finish
