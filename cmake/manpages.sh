#!/bin/sh
# Writes the man pages minutiae.1 and minutiae-COMMAND.1 into OUTDIR from the built
# binary's --help texts (help2man.awk). The commands come from `minutiae --help`; the
# list CMake expects (from app/main.c) must match it.
#   manpages.sh MINUTIAE_BIN OUTDIR VERSION AWK_SCRIPT "COMMAND..."
set -eu
bin=$1 out=$2 version=$3 awkf=$4 expected=$5
mkdir -p "$out"
help=$("$bin" --help)
listed=$(printf '%s\n' "$help" | awk '/^commands:$/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}' | tr '\n' ' ')
if [ "$(echo $listed)" != "$(echo $expected)" ]; then
    echo "manpages.sh: minutiae --help lists '$listed', the build expects '$expected'" >&2
    exit 1
fi
printf '%s\n' "$help" | awk -v name=minutiae -v summary="latent fingerprint minutia extraction and template tools" \
    -v version="$version" -v commands="$listed" -f "$awkf" > "$out/minutiae.1.tmp"
mv "$out/minutiae.1.tmp" "$out/minutiae.1"
for c in $listed; do
    summary=$(printf '%s\n' "$help" | awk -v c="$c" '$1 == c && /^  [a-z]/ {sub(/^  [^ ]+ +/, ""); print; exit}')
    "$bin" "$c" --help | awk -v name="minutiae-$c" -v summary="$summary" -v version="$version" -f "$awkf" \
        > "$out/minutiae-$c.1.tmp"
    mv "$out/minutiae-$c.1.tmp" "$out/minutiae-$c.1"
done
