# Shared by the end-to-end scripts: a scratch folder $T, counters and checks.
# Source it after setting M (the minutiae binary).
set -u
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
pass=0
fail=0
ok() { pass=$((pass + 1)); }
bad() { fail=$((fail + 1)); echo "FAIL: $*"; }
# check NAME EXPECTED_EXIT CMD...: runs CMD with stdout in $T/out and stderr in $T/err
check() {
    local name=$1 want=$2
    shift 2
    "$@" >"$T/out" 2>"$T/err"
    local rc=$?
    if [ "$rc" -eq "$want" ]; then ok; else bad "$name: exit $rc, expected $want"; tail -3 "$T/err"; fi
}
# expect_in NAME FILE TEXT
expect_in() { if grep -q -- "$3" "$2"; then ok; else bad "$1: '$3' not in $2"; head -5 "$2"; fi; }
# json_num KEY FILE: the first number stored under KEY
json_num() { grep -o "\"$1\": [0-9.]*" "$2" | head -1 | sed "s/.*: //"; }
# finish: the plain closing line and the exit status
finish() { echo "$pass passed, $fail failed"; [ "$fail" -eq 0 ]; }
