#!/usr/bin/env bash
# Only the CSV reader's own files (libcore/src/csv*.c) include
# csv_internal.h; the loaders built on it include csv_reader.h.
set -euo pipefail
cd "$MQL_SRC"
found=$(grep -l '#include "csv_internal.h"' libcore/src/*.c libcore/src/*.h tools/*.c |
	grep -v '^libcore/src/csv[a-z0-9_]*\.[ch]$' || true)
if [ -n "$found" ]; then
	echo "csv_internal.h included outside the CSV reader: $found" >&2
	exit 1
fi
grep -q '#include "csv_reader.h"' libcore/src/contacts.c
