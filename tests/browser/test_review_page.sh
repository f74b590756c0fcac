#!/usr/bin/env bash
# The review page in a real browser (headless Chromium): its self-test mode drives the
# page with real mouse and key events (add, move, retype, set direction, delete, undo)
# and prints the corrected JSON it would download; this script checks that JSON against
# what was done, that it is a valid template for the project's readers, and that a
# screenshot of the page is not blank. Exit 77 (ctest skip) without Chromium.
# usage: test_review_page.sh MINUTIAE PNG_SPREAD
M=$(readlink -f "${1:?usage: test_review_page.sh MINUTIAE PNG_SPREAD}")
SPREAD=$(readlink -f "${2:?usage: test_review_page.sh MINUTIAE PNG_SPREAD}")
CHROME=$(command -v chromium || command -v chromium-browser || command -v google-chrome || true)
if [ -z "$CHROME" ]; then
    echo "skipped: no Chromium (apt-get install -y chromium)"
    exit 77
fi
. "$(dirname "$0")/../cli/lib.sh"
chrome() { timeout 120 "$CHROME" --headless --no-sandbox --disable-gpu --no-first-run --user-data-dir="$T/profile" \
    --window-size=1280,900 "$@" 2>>"$T/chrome.err"; }

check "synth" 0 "$M" synth -o "$T/truth" -n 1 --seed 7 -q
check "extract" 0 "$M" extract "$T/truth/latent_000007.png" -o "$T/ex" -q
page="$T/ex/latent_000007.review.html"
[ -s "$page" ] && ok || bad "no review page"
grep -q 'href="latent_000007.review.html"' "$T/ex/index.html" && ok || bad "the gallery does not link the review page"
grep -E -q '(src|href|action)="https?:|url\(https?:|fetch\(|XMLHttpRequest' "$page" && bad "the review page refers to the network" || ok

chrome --dump-dom "file://$page#selftest" >"$T/dom.html"
grep -q '<title>selftest done</title>' "$T/dom.html" && ok || { bad "the self-test did not finish"; tail -5 "$T/chrome.err"; }
awk 'BEGIN { RS = "<pre id=\"selftest-export\">" } NR == 2 { sub(/<\/pre>.*/, ""); printf "%s", $0 }' "$T/dom.html" |
    sed 's/&amp;/\&/g; s/&lt;/</g; s/&gt;/>/g' >"$T/corrected.json"
facts=$(sed -n 's/.*<pre id="selftest-result">\([^<]*\)<\/pre>.*/\1/p' "$T/dom.html")
check "corrected JSON is a valid template" 0 "$M" inspect "$T/corrected.json"
tool_n=$("$M" inspect "$T/ex/latent_000007.json" | sed -n 's/.* \([0-9]*\) minutiae$/\1/p')
new_n=$("$M" inspect "$T/corrected.json" | sed -n 's/.* \([0-9]*\) minutiae$/\1/p')
[ -n "$tool_n" ] && [ "$new_n" = "$tool_n" ] && ok || bad "corrected count $new_n, expected $tool_n (one added, one deleted, one add undone)"
examiner=$(grep -c '"source":"examiner"' "$T/corrected.json")
[ "$examiner" -eq 4 ] && ok || bad "$examiner marks changed by the examiner, expected 4 (added, moved, retyped, directed)"
grep '"source":"examiner"' "$T/corrected.json" | grep -q '"changed_by":"selftest"' && ok || bad "changed marks do not say who"
# number NAME: the first number under "NAME" in a text
num() { sed -n "s/.*\"$1\":\[*\(-*[0-9.]*\).*/\1/p" <<<"$2" | head -1; }
# the added mark: at the spot clicked, an ending, angle 0
sx=$(sed -n 's/.*"spot":{"x":\([0-9.]*\),"y":\([0-9.]*\)}.*/\1 \2/p' <<<"$facts")
awk -v s="$sx" 'BEGIN { split(s, p, " ") } /"source":"examiner"/ && /"type":"ending"/ && /"angle":0,/ {
    match($0, /"x":[-0-9.]+/); x = substr($0, RSTART + 4, RLENGTH - 4); match($0, /"y":[-0-9.]+/); y = substr($0, RSTART + 4, RLENGTH - 4)
    if ((x - p[1]) ^ 2 + (y - p[2]) ^ 2 < 4) found = 1 } END { exit !found }' "$T/corrected.json" && ok || bad "the added mark is not at the click"
# the moved mark: 10 px right of where it was
mx=$(sed -n 's/.*"moved":{"from":\[\([0-9.]*\),\([0-9.]*\)\]}.*/\1 \2/p' <<<"$facts")
awk -v s="$mx" 'BEGIN { split(s, p, " ") } /"source":"examiner"/ {
    match($0, /"x":[-0-9.]+/); x = substr($0, RSTART + 4, RLENGTH - 4); match($0, /"y":[-0-9.]+/); y = substr($0, RSTART + 4, RLENGTH - 4)
    if ((x - p[1] - 10) ^ 2 + (y - p[2]) ^ 2 < 4) found = 1 } END { exit !found }' "$T/corrected.json" && ok || bad "the dragged mark did not move 10 px right"
# the directed mark: shift-drag straight up gives 90 degrees
awk '/"source":"examiner"/ { match($0, /"angle":[-0-9.]+/); a = substr($0, RSTART + 8, RLENGTH - 8) + 0
    if (a >= 87 && a <= 93) found = 1 } END { exit !found }' "$T/corrected.json" && ok || bad "no mark turned to 90 degrees (+-3)"
# the retyped mark changed its type
was=$(sed -n 's/.*"was":"\([a-z]*\)".*/\1/p' <<<"$facts")
rt=$(sed -n 's/.*"retyped":{"at":\[\([0-9.]*\),\([0-9.]*\)\].*/\1 \2/p' <<<"$facts")
awk -v s="$rt" -v was="$was" 'BEGIN { split(s, p, " ") } {
    match($0, /"x":[-0-9.]+/); x = substr($0, RSTART + 4, RLENGTH - 4); match($0, /"y":[-0-9.]+/); y = substr($0, RSTART + 4, RLENGTH - 4)
    if ((x - p[1]) ^ 2 + (y - p[2]) ^ 2 < 0.01 && $0 !~ "\"type\":\"" was "\"") found = 1 } END { exit !found }' "$T/corrected.json" &&
    ok || bad "the retyped mark kept its type ($was)"
# the deleted mark is gone
dl=$(sed -n 's/.*"deleted":{"at":\[\([0-9.]*\),\([0-9.]*\)\]}.*/\1 \2/p' <<<"$facts")
awk -v s="$dl" 'BEGIN { split(s, p, " ") } /"x":/ {
    match($0, /"x":[-0-9.]+/); x = substr($0, RSTART + 4, RLENGTH - 4); match($0, /"y":[-0-9.]+/); y = substr($0, RSTART + 4, RLENGTH - 4)
    if ((x - p[1]) ^ 2 + (y - p[2]) ^ 2 < 0.01) found = 1 } END { exit found }' "$T/corrected.json" && ok || bad "the deleted mark is still there"
# corrected marks are ground truth for eval
mkdir -p "$T/truth2"
cp "$T/corrected.json" "$T/truth2/latent_000007.json"
check "eval against the corrections" 0 "$M" eval --truth "$T/truth2" --pred "$T/ex" --json

# the page renders: a screenshot is not blank
chrome --screenshot="$T/shot.png" "file://$page"
read -r size mean sd < <("$SPREAD" "$T/shot.png" 2>/dev/null)
awk -v sd="${sd:-0}" 'BEGIN { exit !(sd > 0.05) }' && ok || bad "the screenshot is blank (spread ${sd:-none})"
[ "${size:-}" = "1280x900" ] && ok || bad "screenshot size ${size:-none}"
[ -n "${MNT_REVIEW_SHOT:-}" ] && cp "$T/shot.png" "$MNT_REVIEW_SHOT"

finish
