# Converts the text of `minutiae [COMMAND] --help` to a man page (roff, man macros), so
# the man pages are made from the same text as --help and cannot drift from it.
#   awk -v name=minutiae-extract -v summary="..." -v version=0.1.0 [-v commands="extract inspect"] -f help2man.awk
# The help layout: "usage: minutiae ..." first, description paragraphs, then sections
# ("options:", "commands:") whose items are "  TERM   text" with continuation lines
# indented further.
function esc(s,    n, i, w, words, out) {
    gsub(/\\/, "\\e", s)
    n = split(s, words, " ")
    out = ""
    for (i = 1; i <= n; i++) {
        w = words[i]
        if (w ~ /^[\[(|'"]*-/) gsub(/-/, "\\-", w)   # options: real minus signs
        out = out (i > 1 ? " " : "") w
    }
    if (out ~ /^[.']/) out = "\\&" out
    return out
}
function text(s) { print esc(s) }
BEGIN {
    upper = toupper(name)
    printf ".TH \"%s\" \"1\" \"\" \"minutiae %s\" \"User Commands\"\n", upper, version
    print ".SH NAME"
    printf "%s \\- %s\n", esc(name), esc(summary)
    section = ""; para = 0
}
NR == 1 && /^usage: / {
    sub(/^usage: /, "")
    print ".SH SYNOPSIS"
    text($0)
    print ".SH DESCRIPTION"
    next
}
/^[ \t]*$/ { if (para) pending = 1; next }
/^[A-Za-z][A-Za-z0-9 ()-]*:$/ {
    section = toupper(substr($0, 1, length($0) - 1))
    printf ".SH %s\n", section
    pending = 0
    next
}
section != "" && /^  [^ ]/ {
    line = substr($0, 3)
    # the term ends at the first run of two spaces
    if (match(line, /  +/)) { term = substr(line, 1, RSTART - 1); rest = substr(line, RSTART + RLENGTH) }
    else { term = line; rest = "" }
    print ".TP"
    printf "\\fB%s\\fR\n", esc(term)
    if (rest != "") text(rest)
    next
}
{
    line = $0
    sub(/^[ \t]+/, "", line)
    if (pending && section == "") print ".PP"
    pending = 0
    text(line)
    para = 1
}
END {
    if (commands != "") {
        print ".SH SEE ALSO"
        n = split(commands, c, " ")
        for (i = 1; i <= n; i++) printf "\\fBminutiae\\-%s\\fR(1)%s\n", c[i], i < n ? "," : ""
    }
}
