#!/usr/bin/env bash
# End-to-end checks of the minutiae command: exit codes, messages, conversions.
# usage: test_cli.sh PATH/TO/minutiae
M=${1:?usage: test_cli.sh MINUTIAE}
. "$(dirname "$0")/lib.sh"

cat >"$T/a.json" <<'JSON'
{"image": "a.png", "width": 400, "height": 300, "ppi": 500, "minutiae": [
 {"x": 100, "y": 14, "angle": 112.5, "type": "ending", "quality": 90, "score": 0.9},
 {"x": 300.4, "y": 250, "angle": 270, "type": "bifurcation", "quality": 60, "score": 0.6}]}
JSON

check "version" 0 "$M" --version
expect_in "version text" "$T/out" "minutiae "
check "help" 0 "$M" --help
expect_in "help lists inspect" "$T/out" "inspect"
check "no command" 64 "$M"
check "unknown command" 64 "$M" frobnicate
check "help COMMAND" 0 "$M" help extract
expect_in "help COMMAND is the command's help" "$T/out" "usage: minutiae extract"
check "help unknown" 64 "$M" help frobnicate
check "inspect help" 0 "$M" inspect --help
grep -q -- "--width" "$T/out" && bad "inspect --help offers --width, which inspect never uses" || ok
check "eval help lists -q" 0 "$M" eval --help
expect_in "eval -q" "$T/out" "  -q "
check "calibrate help lists -q" 0 "$M" calibrate --help
expect_in "calibrate -q" "$T/out" "  -q "
check "convert help" 0 "$M" convert --help
check "inspect no file" 64 "$M" inspect
check "inspect bad option" 64 "$M" inspect --bogus "$T/a.json"
check "inspect missing" 66 "$M" inspect "$T/missing.iso"
expect_in "missing message" "$T/err" "minutiae: $T/missing.iso: "
check "inspect json" 0 "$M" inspect "$T/a.json"
expect_in "inspect lists minutia" "$T/out" "bifurcation"

check "to iso" 0 "$M" convert "$T/a.json" "$T/a.iso"
check "inspect iso" 0 "$M" inspect --json "$T/a.iso"
expect_in "inspect iso json" "$T/out" '"valid": true'
expect_in "rounded x" "$T/out" '"x": 300.00'
check "to ansi" 0 "$M" convert "$T/a.iso" "$T/a.ansi"
check "to iso2011" 0 "$M" convert "$T/a.ansi" "$T/a.iso2011"
check "back to iso" 0 "$M" convert "$T/a.iso2011" "$T/b.iso"
check "to xyt" 0 "$M" convert "$T/b.iso" "$T/b.xyt"
expect_in "xyt nist frame" "$T/b.xyt" "^100 286 293 90"
check "to xyt-m1" 0 "$M" convert "$T/b.iso" "$T/b.m1.xyt"
expect_in "xyt m1 frame" "$T/b.m1.xyt" "^100 14 113 90"
check "xyt back needs height" 64 "$M" convert "$T/b.xyt" "$T/c.iso"
expect_in "height hint" "$T/err" "height"
check "xyt back" 0 "$M" convert --height 300 --width 400 "$T/b.xyt" "$T/c.iso"
check "m1 back" 0 "$M" convert --xyt-frame m1 --width 400 --height 300 "$T/b.m1.xyt" "$T/d.iso"
check "to json" 0 "$M" convert "$T/c.iso" "$T/c.json"
expect_in "json type lost by xyt" "$T/c.json" '"type": "other"'
check "explicit --to" 0 "$M" convert --to ansi "$T/a.json" "$T/a.bin"
check "unknown extension" 64 "$M" convert "$T/a.json" "$T/a.bin2"
check "overwrite input" 64 "$M" convert --to json "$T/a.json" "$T/a.json"
check "bad cbeff" 64 "$M" convert --cbeff 0:1 "$T/a.json" "$T/x.ansi"
check "cbeff" 0 "$M" convert --cbeff 1b:2 "$T/a.json" "$T/x.ansi"
check "inspect cbeff" 0 "$M" inspect "$T/x.ansi"
expect_in "cbeff shown" "$T/out" "CBEFF 001B:0002"
check "cannot create" 73 "$M" convert "$T/a.json" "$T/no/such/dir/a.iso"

head -c 30 "$T/a.iso" >"$T/trunc.iso"
check "truncated" 65 "$M" inspect "$T/trunc.iso"
expect_in "truncated reason" "$T/err" "truncated"
printf 'garbage\x00\x01' >"$T/garbage.bin"
check "garbage" 65 "$M" inspect "$T/garbage.bin"
check "mixed files" 65 "$M" inspect "$T/a.iso" "$T/trunc.iso"
check "mixed json" 65 "$M" inspect --json "$T/a.iso" "$T/trunc.iso"
expect_in "json array" "$T/out" '"valid": false'
ls "$T" | grep -q '\.tmp\.' && { fail=$((fail + 1)); echo "FAIL: temporary files left behind"; } || pass=$((pass + 1))

finish
