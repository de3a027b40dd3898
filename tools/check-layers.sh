#!/usr/bin/env bash
# check-layers.sh - rejects every include in libcore that its layer map
# (libcore/README.md) does not allow, every include of a family's
# <family>_internal.h from another family, and every libcore file no family
# claims.  Prints "file:line: ..." for each and exits 1; exits 0 when the
# walls hold.  Usage: tools/check-layers.sh [SOURCE_ROOT]
set -u -o pipefail
root=${1:-$(cd "$(dirname "$0")/.." && pwd)}
cd "$root/libcore" || { echo "check-layers: no $root/libcore" >&2; exit 2; }
[ -f README.md ] || { echo "check-layers: no libcore/README.md" >&2; exit 2; }
awk '
function trim(s) { gsub(/`/, "", s); gsub(/^[ \t]+|[ \t]+$/, "", s); return s }
# The family of a file name without its extension: the longest family
# name that is the whole name or a prefix of it followed by "_".
function family_of(name,    f, best) {
	best = ""
	for (f in layer)
		if ((name == f || index(name, f "_") == 1) &&
		    length(f) > length(best))
			best = f
	return best
}
FNR == 1 && FILENAME == "README.md" { section = "" }
FILENAME == "README.md" {
	if ($0 ~ /^## /) { section = $0; next }
	if ($0 !~ /^\|/ || $0 ~ /^\|[- |]+$/) next
	n = split($0, cell, "|")
	if (section ~ /^## Layers/ && n >= 5 && trim(cell[2]) != "layer") {
		name = trim(cell[2])
		known[name] = 1
		k = split(trim(cell[3]), fams, /[ ,]+/)
		for (i = 1; i <= k; i++)
			if (fams[i] != "") layer[fams[i]] = name
		k = split(trim(cell[4]), below, /[ ,]+/)
		for (i = 1; i <= k; i++)
			if (below[i] != "") allowed[name, below[i]] = 1
		allowed[name, name] = 1
	} else if (section ~ /^## Exceptions/ && n >= 5 &&
		   trim(cell[2]) != "file") {
		exception[trim(cell[2]), trim(cell[3])] = 1
	}
	next
}
FNR == 1 {
	file = FILENAME
	base = file
	sub(/^.*\//, "", base)
	sub(/\.[ch]$/, "", base)
	fam = family_of(base)
	if (fam == "") {
		printf "libcore/%s: no family of the layer map claims it (add it to libcore/README.md)\n", file
		bad++
	}
}
/^[ \t]*#[ \t]*include[ \t]*("|<mqlcal\/)/ {
	if (fam == "") next
	header = $0
	sub(/^[ \t]*#[ \t]*include[ \t]*[<"]/, "", header)
	sub(/[>"].*$/, "", header)
	target = header
	sub(/^mqlcal\//, "", target)
	sub(/\.h$/, "", target)
	tfam = family_of(target)
	if (tfam == "") {
		printf "libcore/%s:%d: includes %s, of no family in the layer map\n", file, FNR, header
		bad++
	} else if (exception[file, header]) {
		next
	} else if (target ~ /_internal$/ && tfam != fam) {
		printf "libcore/%s:%d: %s includes %s, private to %s\n", file, FNR, fam, header, tfam
		bad++
	} else if (!allowed[layer[fam], layer[tfam]]) {
		printf "libcore/%s:%d: %s (%s) includes %s (%s), a layer it may not include\n", file, FNR, fam, layer[fam], header, layer[tfam]
		bad++
	}
}
END {
	for (k in allowed) {
		split(k, pair, SUBSEP)
		if (!(pair[2] in known)) {
			printf "libcore/README.md: layer %s may include %s, which is no layer\n", pair[1], pair[2]
			bad++
		}
	}
	if (bad) { printf "check-layers: %d include(s) against the layer map\n", bad; exit 1 }
}
' README.md src/*.c src/*.h include/mqlcal/*.h
