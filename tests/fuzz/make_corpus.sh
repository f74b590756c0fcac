#!/usr/bin/env bash
# Regenerates the seed corpora under tests/fuzz/corpus/ (crashers found by fuzzing
# are kept there too, under crash-*; this script does not remove them).
#   tests/fuzz/make_corpus.sh BUILD_DIR   (a normal build with tests, for make_corpus)
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
build=${1:?usage: make_corpus.sh BUILD_DIR}
corpus=$here/corpus
for t in png pgm wsq tiff jpeg jp2 iso2005 ansi378 iso2011 xyt json_template fingernet template_detect json synth_config train_config model patchset; do
    mkdir -p "$corpus/$t"
done
"$build/make_corpus" "$root/samples" "$corpus"
cp "$root/samples/synth.yaml" "$root/samples/degrade.yaml" "$corpus/synth_config/"
cp "$root/models/train.yaml" "$corpus/train_config/"
cp "$root/samples/latents/latent_000001.json" "$corpus/json/"
# the default model's card alone, as YAML seeds for both config parsers
python3 - "$root/models/default.mnm" "$corpus/synth_config/default_card.yaml" <<'PY'
import struct, sys
d = open(sys.argv[1], 'rb').read()
n = struct.unpack('>I', d[12:16])[0]
open(sys.argv[2], 'wb').write(d[16:16 + n])
PY
cp "$corpus/synth_config/default_card.yaml" "$corpus/train_config/"
du -sh "$corpus"
