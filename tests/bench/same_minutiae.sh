#!/bin/sh
# Output-identity check for speed work: runs `minutiae extract` of two builds on the
# shipped sample latents (plain, with their masks, and read as 1000 ppi) and on fresh
# synthetic latents, and compares the minutiae of every NAME.json.
# usage: same_minutiae.sh OLD_MINUTIAE NEW_MINUTIAE [WORKDIR] [N_SYNTH]
# Passes when every image has the same count and, pairwise in order, the same type and
# quality, and x, y within 0.01 px, angle within 0.01 degree, score within 1e-4
# (the JSON's own rounding: a last-digit flip from a changed summation order passes).
set -eu
old=$1 new=$2 work=${3:-/tmp/same_minutiae.$$} n=${4:-20}
here=$(cd "$(dirname "$0")/../.." && pwd)
rm -rf "$work"
mkdir -p "$work"
"$old" synth -o "$work/synth" -n "$n" --seed 123 -q
for b in old new; do
    bin=$old
    [ "$b" = new ] && bin=$new
    "$bin" extract "$here"/samples/latents/latent_*[0-9].png -o "$work/$b/samples" -q --formats iso -j 2 >/dev/null
    "$bin" extract "$here"/samples/latents/latent_*[0-9].png -o "$work/$b/masked" -q --mask-dir "$here/samples/latents" -j 2 >/dev/null
    "$bin" extract "$here"/samples/latents/latent_*[0-9].png -o "$work/$b/ppi1000" -q --ppi 1000 -j 2 >/dev/null
    "$bin" extract "$work"/synth/latent_*[0-9].png -o "$work/$b/synth" -q -j 2 >/dev/null
done
python3 - "$work" <<'PY'
import json, glob, os, sys
work = sys.argv[1]
bad = images = total = 0
worst = [0.0, 0.0, 0.0]
for f in sorted(glob.glob(os.path.join(work, "old", "*", "*.json"))):
    if os.path.basename(f).startswith("report"):
        continue
    g = f.replace(os.path.join(work, "old"), os.path.join(work, "new"), 1)
    a = json.load(open(f))["minutiae"]
    try:
        b = json.load(open(g))["minutiae"]
    except OSError:
        print("MISSING", g); bad += 1; continue
    images += 1
    total += len(a)
    if len(a) != len(b):
        print("COUNT", f, len(a), len(b)); bad += 1; continue
    for p, q in zip(a, b):
        dx, dy = abs(p["x"] - q["x"]), abs(p["y"] - q["y"])
        da = abs(p["angle"] - q["angle"]); da = min(da, 360 - da)
        ds = abs(p["score"] - q["score"])
        worst = [max(worst[0], dx, dy), max(worst[1], da), max(worst[2], ds)]
        if p["type"] != q["type"] or dx > 0.0100001 or dy > 0.0100001 or da > 0.0100001 or ds > 1.00001e-4 \
                or abs(p["quality"] - q["quality"]) > 1:
            print("DIFF", f, p, q); bad += 1; break
print("%d images, %d minutiae, worst |dxy| %.4f px, |dangle| %.4f deg, |dscore| %.5f: %s"
      % (images, total, worst[0], worst[1], worst[2], "SAME" if not bad else "%d DIFFER" % bad))
sys.exit(1 if bad or not images else 0)
PY
