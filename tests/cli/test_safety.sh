#!/usr/bin/env bash
# End-to-end checks of data safety (issue 10): what may be replaced, provenance and
# resume, the output-folder lock, stale temporaries, missing inputs, unwritable
# folders, signals, masks and tiny images.
# usage: test_safety.sh PATH/TO/minutiae
M=${1:?usage: test_safety.sh MINUTIAE}
. "$(dirname "$0")/lib.sh"

cat >"$T/a.json" <<'JSON'
{"image": "a.png", "width": 400, "height": 300, "ppi": 500, "minutiae": [
 {"x": 100, "y": 14, "angle": 112.5, "type": "ending", "quality": 90, "score": 0.9}]}
JSON

# --- only a regular file or a new name is replaced; "-" is standard output / input
check "to a new name" 0 "$M" convert "$T/a.json" "$T/a.iso"
check "over a regular file" 0 "$M" convert "$T/a.json" "$T/a.iso"
ln -s "$T/elsewhere.iso" "$T/link.iso"
check "symlink refused" 73 "$M" convert "$T/a.json" "$T/link.iso"
[ -L "$T/link.iso" ] && [ ! -e "$T/elsewhere.iso" ] && ok || bad "the symlink was replaced or written through"
expect_in "symlink message" "$T/err" "symbolic link"
if mknod "$T/null" c 1 3 2>/dev/null; then
    check "device refused" 73 "$M" convert "$T/a.json" "$T/null" --to json
    [ -c "$T/null" ] && ok || bad "the device node became a regular file"
fi
mkfifo "$T/fifo"
check "pipe refused" 73 "$M" convert "$T/a.json" "$T/fifo" --to json
[ -p "$T/fifo" ] && ok || bad "the pipe was replaced"
check "dash is stdout" 0 "$M" convert "$T/a.json" - --to xyt
[ "$(wc -l <"$T/out")" -eq 1 ] && ok || bad "convert to - did not print the template"
"$M" convert - - --to json <"$T/a.iso" >"$T/b.json" 2>"$T/err" && ok || bad "convert from standard input"
grep -q '"x": 100' "$T/b.json" && ok || bad "standard input round trip lost the minutia"
"$M" inspect - <"$T/a.iso" >"$T/out" 2>"$T/err" && ok || bad "inspect from standard input"
expect_in "inspect -" "$T/out" "1 minutiae"

finish
