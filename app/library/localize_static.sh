#!/bin/sh
# Turns libminutiae.a into one relocatable object holding what the public API reaches
# (ld -r from the minutiae_* symbols), with every global symbol but minutiae_* made
# local: a program linking the static library sees only the API, as with the shared one.
#   localize_static.sh ARCHIVE LD OBJCOPY NM AR
set -eu
a=$1 ld=$2 objcopy=$3 nm=$4 ar=$5
t=$(mktemp -d)
trap 'rm -rf "$t"' EXIT
"$nm" -g --defined-only "$a" 2>/dev/null | awk '$2 ~ /^[TDRB]$/ && $3 ~ /^minutiae_/ {print $3}' | sort -u >"$t/api"
[ -s "$t/api" ] || { echo "localize_static.sh: no minutiae_* symbols in $a" >&2; exit 1; }
undef=$(sed 's/^/-u /' "$t/api" | tr '\n' ' ')
# shellcheck disable=SC2086
"$ld" -r $undef -o "$t/libminutiae.o" "$a"
"$objcopy" --keep-global-symbols="$t/api" "$t/libminutiae.o"
rm -f "$a.tmp"
"$ar" rcs "$a.tmp" "$t/libminutiae.o"
mv "$a.tmp" "$a"
