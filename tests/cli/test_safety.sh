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

# --- extract into the folder of the images, whose ground truth (NAME.json, NAME.iso) lies beside them
check "synth" 0 "$M" synth -o "$T/case" -n 4 --seed 4242 -q
cp "$T/case/latent_004242.json" "$T/truth.json"
cp "$T/case/latent_004242.iso" "$T/truth.iso"
check "foreign files left alone" 74 "$M" extract "$T/case" -o "$T/case" -q
cmp -s "$T/case/latent_004242.json" "$T/truth.json" && ok || bad "extract replaced the ground-truth JSON"
cmp -s "$T/case/latent_004242.iso" "$T/truth.iso" && ok || bad "extract replaced the ground-truth ISO"
expect_in "foreign reported" "$T/err" "was not written by minutiae extract"
grep -q '"failed": 4' "$T/case/report.json" && ok || bad "the refused images are not reported as failed"
[ -e "$T/case/latent_004242.overlay.png" ] && bad "a refused image left an output behind" || ok
check "--force replaces them" 0 "$M" extract "$T/case" -o "$T/case" -q --force
grep -q '"provenance"' "$T/case/latent_004242.json" && ok || bad "no provenance in the JSON output"
grep -q '"model_sha256": "[0-9a-f]\{64\}"' "$T/case/latent_004242.json" && ok || bad "provenance lacks the model digest"
check "a second run replaces its own files" 0 "$M" extract "$T/case" -o "$T/case" -q
check "its JSON still reads as a template" 0 "$M" inspect "$T/case/latent_004242.json"

# --- resume: same settings and input keep, other settings or another input redo
mkdir -p "$T/in"
cp "$T"/case/latent_00424[2-5].png "$T/in/"
check "first run" 0 "$M" extract "$T/in" -o "$T/o" -q
grep -q '"skipped": 0' "$T/o/report.json" && ok || bad "first run skipped images"
check "resume same settings" 0 "$M" extract "$T/in" -o "$T/o" -q --resume
grep -q '"skipped": 4' "$T/o/report.json" && ok || bad "resume redid images made with the same settings"
check "resume other threshold" 0 "$M" extract "$T/in" -o "$T/o" -q --resume --threshold 0.3
grep -q '"skipped": 0' "$T/o/report.json" && ok || bad "resume kept images made at another threshold"
grep -q '"threshold": 0.300000' "$T/o/latent_004243.json" && ok || bad "the JSON does not say the threshold it was made with"
cp "$T/in/latent_004242.png" "$T/in/latent_004243.png"
check "resume changed input" 0 "$M" extract "$T/in" -o "$T/o" -q --resume --threshold 0.3
grep -q '"skipped": 3' "$T/o/report.json" && ok || bad "resume kept the outputs of a changed input"
printf 'not mine' >"$T/o/latent_004244.overlay.png"
check "resume with a foreign file" 74 "$M" extract "$T/in" -o "$T/o" -q --resume --threshold 0.3
[ "$(cat "$T/o/latent_004244.overlay.png")" = "not mine" ] && ok || bad "resume replaced a file it did not write"
rm "$T/o/latent_004244.overlay.png"

# --- one run per folder; stale temporaries of a killed run go
if command -v flock >/dev/null; then
    flock -o "$T/o/.minutiae.lock" sleep 5 &
    holder=$!
    sleep 0.5
    check "second run refused" 75 "$M" extract "$T/in" -o "$T/o" -q
    expect_in "lock message" "$T/err" "another minutiae extract is writing to this folder"
    kill $holder 2>/dev/null
    wait $holder 2>/dev/null
fi
printf 'half' >"$T/o/latent_004242.iso.tmp.Ab12Cd"
printf 'user notes' >"$T/o/notes.tmp.abcdef"
check "stale temporaries" 0 "$M" extract "$T/in" -o "$T/o" --resume --threshold 0.3
[ -e "$T/o/latent_004242.iso.tmp.Ab12Cd" ] && bad "a stale temporary was left" || ok
[ -e "$T/o/notes.tmp.abcdef" ] && ok || bad "a file that only looks like a temporary was removed"
expect_in "stale reported" "$T/err" "removed 1 temporary file"

# --- a missing input is reported and the batch goes on; list lines are trimmed
check "missing input" 66 "$M" extract "$T/in/latent_004242.png" "$T/in/nope.png" "$T/in/latent_004245.png" -o "$T/m" -q
[ -s "$T/m/latent_004245.iso" ] && ok || bad "the batch stopped at the missing input"
grep -q '"failed": 1' "$T/m/report.json" && ok || bad "the missing input is not in the report"
printf '  %s\t\n\t%s  \n' "$T/in/latent_004242.png" "$T/in/latent_004245.png" >"$T/list.txt"
check "list with blanks" 0 "$M" extract --list "$T/list.txt" -o "$T/l" -q
[ -s "$T/l/latent_004242.iso" ] && [ -s "$T/l/latent_004245.iso" ] && ok || bad "list lines with blanks were not read"

# --- an output folder that cannot be written is found before any image is computed
printf x >"$T/afile"
check "output under a file" 73 "$M" extract "$T/in" -o "$T/afile/sub"
grep -q "images done" "$T/err" && bad "the last line names outputs that were not written" || ok
check "read-only place" 73 "$M" extract "$T/in" -o /proc/minutiae-out
grep -q "images done" "$T/err" && bad "the last line names outputs that were not written" || ok

# --- masks of another shape or size, images too small to hold a print
white() { printf 'P5\n%d %d\n255\n' "$1" "$2"; head -c $(($1 * $2)) /dev/zero | tr '\0' '\377'; }
white 100 50 >"$T/wide.pgm"
check "mask of another shape" 65 "$M" extract "$T/in/latent_004242.png" -o "$T/k" -q --mask "$T/wide.pgm"
expect_in "shape message" "$T/err" "another shape"
white 320 320 >"$T/half.pgm"
check "mask of another size" 0 "$M" extract "$T/in/latent_004242.png" -o "$T/k2" -q --mask "$T/half.pgm"
expect_in "scaled warning" "$T/err" "scaled to the image"
grep -q '"warning": "mask 320x320 scaled' "$T/k2/report.json" && ok || bad "the report does not carry the mask warning"
{ printf 'P5\n40 30\n255\n'; head -c 1200 /dev/urandom; } >"$T/tiny.pgm"
check "tiny image" 65 "$M" extract "$T/tiny.pgm" -o "$T/t" -q
expect_in "tiny message" "$T/err" "too small to hold a print"

# --- folder walks: a link cycle is walked once; skipped files are counted
mkdir -p "$T/tree/a"
cp "$T/in/latent_004242.png" "$T/tree/a/"
ln -s .. "$T/tree/a/up"
printf 'notes' >"$T/tree/a/readme.txt"
check "link cycle" 0 "$M" extract -r "$T/tree" -o "$T/cyc"
grep -q '"images": 1,' "$T/cyc/report.json" && ok || bad "a link cycle multiplied the images"
expect_in "skipped files counted" "$T/err" "skipped 1 file"

# --- SIGTERM / SIGINT: the images in flight finish, the reports say what was not run
check "synth batch" 0 "$M" synth -o "$T/many" -n 16 --seed 5000 -q
mkdir -p "$T/many_in"
cp "$T"/many/latent_*[0-9].png "$T/many_in/"
for sig in TERM INT; do
    "$M" extract "$T/many_in" -o "$T/sig_$sig" -q 2>"$T/sig.err" &
    pid=$!
    sleep 0.5
    kill -s $sig $pid
    wait $pid
    rc=$?
    want=$([ $sig = TERM ] && echo 143 || echo 130)
    [ $rc -eq $want ] && ok || bad "SIG$sig: exit $rc, expected $want"
    grep -q '"interrupted": true' "$T/sig_$sig/report.json" && ok || bad "SIG$sig: the report does not say it was interrupted"
    grep -q '"not_run": 0,' "$T/sig_$sig/report.json" && bad "SIG$sig: every image ran (signal came too late?)" || ok
    [ -z "$(find "$T/sig_$sig" -name '*.tmp.*')" ] && ok || bad "SIG$sig: temporaries left"
    check "SIG$sig resume" 0 "$M" extract "$T/many_in" -o "$T/sig_$sig" -q --resume
    grep -q '"images": 16, "ok": [0-9]*, "failed": 0, "skipped": [1-9][0-9]*, "not_run": 0' "$T/sig_$sig/report.json" && ok ||
        bad "SIG$sig: resume did not complete the batch from where it stopped"
done

finish
