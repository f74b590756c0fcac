#!/usr/bin/env bash
# End-to-end: one synthetic latent as PNG, TIFF, JPEG and JPEG 2000 (written by the
# libraries' own encoders through raster_write). A folder walk picks every format up;
# the lossless copies give the PNG's template byte for byte, the JPEG the same minutiae
# within eval's tolerance; the files' resolution is used unless --ppi is given;
# convert turns each into PNG / PGM; broken files fail alone with a reason.
M=${1:?usage: test_rasters.sh MINUTIAE RASTER_WRITE}
W=${2:?usage: test_rasters.sh MINUTIAE RASTER_WRITE}
. "$(dirname "$0")/lib.sh"

check "synth" 0 "$M" synth -o "$T/truth" -n 1 --seed 777 -q
mkdir -p "$T/in"
cp "$T/truth/latent_000777.png" "$T/in/png.png"
check "write tif" 0 "$W" "$T/in/png.png" "$T/in/tif.tif"
check "write tiff" 0 "$W" "$T/in/png.png" "$T/in/tiff.tif"
mv "$T/in/tiff.tif" "$T/in/tiff.TIFF"
check "write jpg" 0 "$W" "$T/in/png.png" "$T/in/jpg.jpg" --quality=90
check "write jp2" 0 "$W" "$T/in/png.png" "$T/in/jp2.jp2"
check "write j2k" 0 "$W" "$T/in/png.png" "$T/in/j2k.j2k"

check "extract folder" 0 "$M" extract "$T/in" -o "$T/o1" -q
grep -q '"ok": 6' "$T/o1/report.json" && ok || bad "the folder walk did not pick up all six images"
cmp -s "$T/o1/png.iso" "$T/o1/tif.iso" && ok || bad "TIFF template differs from the PNG's"
cmp -s "$T/o1/png.iso" "$T/o1/tiff.iso" && ok || bad ".TIFF template differs from the PNG's"
cmp -s "$T/o1/png.iso" "$T/o1/jp2.iso" && ok || bad "JP2 template differs from the PNG's"
cmp -s "$T/o1/png.iso" "$T/o1/j2k.iso" && ok || bad "J2K template differs from the PNG's"
grep -q '/tif.tif,tif,ok,[0-9]*,[0-9.]*,500.0,0,' "$T/o1/report.csv" && ok || bad "TIFF resolution not taken from the file"
grep -q '/jpg.jpg,jpg,ok,[0-9]*,[0-9.]*,500.0,0,' "$T/o1/report.csv" && ok || bad "JPEG resolution not taken from the file"
grep -q '/jp2.jp2,jp2,ok,[0-9]*,[0-9.]*,500.0,1,' "$T/o1/report.csv" && ok || bad "JP2 without a resolution box should assume 500 ppi"
# JPEG (lossy) against the PNG's own minutiae, scored by eval
mkdir -p "$T/ref" "$T/jpg"
cp "$T/o1/png.json" "$T/ref/x.json"
cp "$T/o1/jpg.json" "$T/jpg/x.json"
check "eval jpeg vs png" 0 "$M" eval --truth "$T/ref" --pred "$T/jpg" --pred-ext .json --json
f1=$(json_num f1 "$T/out")
n=$(grep -c '"x"' "$T/ref/x.json")
awk "BEGIN { exit !($f1 >= 0.9 && $n >= 10) }" && ok || bad "JPEG minutiae F1 $f1 against the PNG's ($n minutiae)"
echo "raster e2e: $n minutiae in the PNG, JPEG F1 against them $f1"

# a resolution in the file is used, --ppi overrides it
check "write tif 1000" 0 "$W" "$T/in/png.png" "$T/hi.tif" --ppi=1000
check "extract 1000 ppi" 0 "$M" extract "$T/hi.tif" -o "$T/o2" -q
grep -q 'hi.tif,hi,ok,[0-9]*,[0-9.]*,1000.0,0,' "$T/o2/report.csv" && ok || bad "1000 ppi TIFF not read as 1000 ppi"
check "extract --ppi" 0 "$M" extract "$T/hi.tif" -o "$T/o3" -q --ppi 500
cmp -s "$T/o1/png.iso" "$T/o3/hi.iso" && ok || bad "--ppi 500 did not override the TIFF's 1000 ppi"

# convert: every input format to PNG / PGM
check "convert png" 0 "$M" convert "$T/in/png.png" "$T/c_png.png"
check "convert tif" 0 "$M" convert "$T/in/tif.tif" "$T/c_tif.png"
check "convert jp2" 0 "$M" convert "$T/in/jp2.jp2" "$T/c_jp2.png"
check "convert j2k" 0 "$M" convert "$T/in/j2k.j2k" "$T/c_j2k.pgm"
check "convert jpg" 0 "$M" convert "$T/in/jpg.jpg" "$T/c_jpg.pgm"
cmp -s "$T/c_png.png" "$T/c_tif.png" && ok || bad "TIFF converted to PNG differs from the PNG"
[ -s "$T/c_jpg.pgm" ] && head -c 2 "$T/c_jpg.pgm" | grep -q P5 && ok || bad "JPEG to PGM"
check "convert image refuses self" 64 "$M" convert "$T/c_tif.png" "$T/c_tif.png"
check "convert template to png" 65 "$M" convert "$T/o1/png.iso" "$T/x.png"
expect_in "not an image" "$T/err" "not an image of a known format"

# broken files fail alone, each with its reason, and nothing else is printed
mkdir -p "$T/bad"
cp "$T/in/png.png" "$T/bad/good.png"
head -c 20000 "$T/in/jpg.jpg" >"$T/bad/cutj.jpg"
head -c 20000 "$T/in/jp2.jp2" >"$T/bad/cutk.jp2"
head -c 200 "$T/in/tif.tif" >"$T/bad/cut.tif"
printf 'II*\0garbage garbage' >"$T/bad/junk.tiff"
check "extract broken" 65 "$M" extract "$T/bad" -o "$T/o4" -q
grep -q '"failed": 4' "$T/o4/report.json" && ok || bad "broken files not all counted as failures"
grep -q '"ok": 1' "$T/o4/report.json" && ok || bad "the good file did not go through"
expect_in "jpeg reason" "$T/o4/report.csv" "cutj.jpg,.*Premature end"
expect_in "jp2 reason" "$T/o4/report.csv" "cutk.jp2,.*JPEG 2000"
expect_in "tiff reason" "$T/o4/report.csv" "cut.tif,.*TIFF"
expect_in "tiff junk reason" "$T/o4/report.csv" "junk.tiff,.*TIFF"
[ "$(grep -vc '^minutiae: ' "$T/err")" -eq 0 ] && ok || { bad "a library printed to stderr"; cat "$T/err"; }
finish
