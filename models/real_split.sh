#!/usr/bin/env bash
# Splits the labelled real prints of ../shared/data/real/train (research use only: the
# images are linked, never copied into the project) by finger into
#   $W/fit  training prints (140): FVC2002 DB1 set A fingers whose number is not a
#           multiple of 5, DB1 set B fingers 101..108, the SD4 and SD14 prints;
#   $W/val  validation prints (35): DB1 set A fingers 5, 10, ..., 100 and DB1 set B
#           fingers 109 and 110 (all 8 impressions each),
# so no finger is in both. ../shared/data/real/dev is never used for training,
# calibration or choosing settings.
set -euo pipefail
R=${R:-../shared/data/real/train}
W=${W:-out/real_split}
[ -d "$R" ] || { echo "real_split.sh: $R not found (the labelled real prints)" >&2; exit 66; }
R=$(cd "$R" && pwd)
rm -rf "$W/fit" "$W/val"
mkdir -p "$W/fit" "$W/val"
for img in "$R"/*.png; do
    f=$(basename "$img")
    s=${f%.png}
    part=fit
    case $s in
        fvc2002db1a__*) n=${s#fvc2002db1a__}; n=${n%_*}; [ $((n % 5)) = 0 ] && part=val ;;
        fvc2002db1b__109_* | fvc2002db1b__110_*) part=val ;;
    esac
    ln -s "$img" "$W/$part/$f"
    ln -s "$R/$s.json" "$W/$part/$s.json"
done
echo "real_split.sh: $(ls "$W/fit"/*.png | wc -l) training and $(ls "$W/val"/*.png | wc -l) validation prints in $W"
