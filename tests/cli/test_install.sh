#!/usr/bin/env bash
# cmake --install into a staging prefix, then the library example (docs/example) built
# against it with pkg-config and with CMake (shared and static), run on a sample latent:
# the same minutiae as `minutiae extract` (count, positions, angles, types, scores) and a
# byte-identical ISO template, at 500 and 600 ppi (resampled). Also: only minutiae_* exported
# (shared) or global (static),
# the SONAME, and the man pages made from --help (every option line of every command).
#   test_install.sh BUILD_DIR SOURCE_DIR SANITIZE(ON/OFF)
B=$1
S=$2
if [ "${3:-OFF}" = ON ]; then
    # The ASan build's libminutiae needs the ASan runtime loaded first; the example is
    # an ordinary program. The sanitized library is exercised by test_library instead.
    echo "skipped: sanitizer build"
    exit 77
fi
M=$B/minutiae
. "$S/tests/cli/lib.sh"
P=$T/stage

check install 0 cmake --install "$B" --prefix "$P"
for f in bin/minutiae include/minutiae.h lib/libminutiae.a lib/libminutiae.so lib/pkgconfig/minutiae.pc \
         lib/cmake/minutiae/minutiaeConfig.cmake lib/cmake/minutiae/minutiaeConfigVersion.cmake \
         lib/cmake/minutiae/minutiaeTargets.cmake share/man/man1/minutiae.1; do
    if [ -e "$P/$f" ]; then ok; else bad "install: $f missing"; fi
done
real=$(readlink -f "$P/lib/libminutiae.so")
case "$real" in *libminutiae.so.[0-9]*.[0-9]*.[0-9]*) ok ;; *) bad "libminutiae.so points at $real" ;; esac

# exported symbols: the API only (and the version node)
nm -D --defined-only "$real" | awk '{print $NF}' >"$T/syms"
others=$(grep -v -E '^(minutiae_[a-z0-9_]+@@MINUTIAE_[0-9]+|MINUTIAE_[0-9]+)$' "$T/syms")
if [ -z "$others" ] && grep -q '^minutiae_extract@@' "$T/syms"; then ok; else bad "exports beyond minutiae_*: $(echo $others | head -c 300)"; fi
for f in minutiae_new_default minutiae_new_from_file minutiae_new_from_memory minutiae_free minutiae_set minutiae_get \
         minutiae_extract minutiae_result_count minutiae_result_get minutiae_result_free minutiae_encode \
         minutiae_buffer_free minutiae_strerror minutiae_last_error minutiae_version; do
    grep -q "^$f@@" "$T/syms" && ok || bad "$f not exported"
done
# the static library: one prelinked object, minutiae_* its only global definitions
others=$(nm -g --defined-only "$P/lib/libminutiae.a" | awk 'NF == 3 && $3 !~ /^minutiae_/ {print $3}')
if [ -z "$others" ] && nm -g --defined-only "$P/lib/libminutiae.a" | grep -q ' T minutiae_extract$'; then ok
else bad "libminutiae.a defines globals beyond minutiae_*: $(echo $others | head -c 300)"; fi
major=$(sed -n 's/^#define MINUTIAE_VERSION_MAJOR \([0-9]*\)$/\1/p' "$S/include/minutiae.h")
readelf -d "$real" | grep -q "SONAME.*\[libminutiae.so.$major\]" && ok || bad "SONAME is not libminutiae.so.$major"

# the example, three ways
export PKG_CONFIG_PATH=$P/lib/pkgconfig
check pkgconfig-cflags 0 pkg-config --cflags --libs minutiae
# shellcheck disable=SC2046
check example-pkgconfig 0 cc -std=c11 -Wall -Wextra -Werror -o "$T/ex_pc" "$S/docs/example/extract_example.c" \
    $(pkg-config --cflags --libs minutiae) -Wl,-rpath,"$P/lib"
check example-cmake-configure 0 cmake -S "$S/docs/example" -B "$T/ex_build" -DCMAKE_PREFIX_PATH="$P" -DEXAMPLE_STATIC=ON
check example-cmake-build 0 cmake --build "$T/ex_build"
EX_SHARED=$T/ex_build/extract_example
EX_STATIC=$T/ex_build/extract_example_static
if ldd "$EX_SHARED" 2>/dev/null | grep -q "libminutiae.so.$major => $P/lib/"; then ok; else bad "CMake example does not use the staged libminutiae.so"; fi

# the minutiae of extract's JSON as "x y angle type quality score" lines
json_minutiae() {
    awk '/^  "minutiae": \[/ {on = 1; next} on && /^  \]/ {on = 0} on && /"x":/ {
        line = $0; gsub(/[{}",:]/, " ", line); n = split(line, w, " ")
        for (i = 1; i < n; i++) v[w[i]] = w[i + 1]
        printf "%.2f %.2f %.2f %s %d %.4f\n", v["x"], v["y"], v["angle"], v["type"], v["quality"], v["score"] }' "$1"
}
check convert 0 "$M" convert "$S/samples/latents/latent_000001.png" "$T/l1.pgm"
for ppi in 500 600; do
    check "extract-$ppi" 0 "$M" extract "$T/l1.pgm" -o "$T/out$ppi" --ppi $ppi -q --no-review
    json_minutiae "$T/out$ppi/l1.json" >"$T/want$ppi"
    [ -s "$T/want$ppi" ] && ok || bad "extract found no minutiae at $ppi ppi"
    for ex in "$T/ex_pc" "$EX_SHARED" "$EX_STATIC"; do
        name=$(basename "$ex")-$ppi
        check "$name" 0 "$ex" "$T/l1.pgm" "$T/$name.iso" $ppi
        grep -v '^#' "$T/out" >"$T/got"
        if cmp -s "$T/got" "$T/want$ppi"; then ok; else bad "$name: minutiae differ from extract's"; diff "$T/got" "$T/want$ppi" | head -5; fi
        n=$(wc -l <"$T/want$ppi")
        expect_in "$name count" "$T/out" ": $n minutiae"
        if cmp -s "$T/$name.iso" "$T/out$ppi/l1.iso"; then ok; else bad "$name: ISO template differs from extract's NAME.iso"; fi
    done
done

# man pages: one per command, each option line of --help in it
cmds=$("$M" --help | awk '/^commands:$/ {on = 1; next} on && /^  [a-z]/ {print $1} on && /^$/ {on = 0}')
[ "$(echo $cmds | wc -w)" -ge 8 ] && ok || bad "too few commands in minutiae --help: $cmds"
expect_in "man minutiae" "$P/share/man/man1/minutiae.1" '^\.TH "MINUTIAE" "1"'
for c in $cmds; do
    page=$P/share/man/man1/minutiae-$c.1
    if [ ! -s "$page" ]; then bad "man page minutiae-$c.1 missing"; continue; fi
    upper=$(echo "minutiae-$c" | tr a-z A-Z)
    expect_in "man $c header" "$page" "^\\.TH \"$upper\" \"1\""
    expect_in "man minutiae lists $c" "$P/share/man/man1/minutiae.1" "minutiae\\\\-$c"
    missing=0
    while IFS= read -r term; do
        roff=$(printf '%s' "$term" | sed 's/-/\\-/g')
        grep -qF -- "\\fB$roff\\fR" "$page" || { missing=$((missing + 1)); echo "  minutiae-$c.1 lacks: $term"; }
    done < <("$M" "$c" --help | sed -n 's/^  \(-[^ ].*\)$/\1/p' | sed 's/   *.*//')
    [ "$missing" -eq 0 ] && ok || bad "man minutiae-$c: $missing option lines of --help missing"
    if command -v man >/dev/null 2>&1; then
        MANWIDTH=100 man -l "$page" 2>"$T/man_err" >"$T/man_out"
        if grep -q "^NAME" "$T/man_out" && [ ! -s "$T/man_err" ]; then ok; else bad "man -l minutiae-$c.1"; head -3 "$T/man_err"; fi
    fi
done
finish
