#!/usr/bin/env bash
# notebooks-data/review.ipynb, executed by Debian's jupyter over the
# committed review (notebooks-data/review/, written by make review) into the
# build directory, so the repository stays clean.  The notebook loads every
# file of the review and asserts what the files promise (group rows sum to
# the total row, periods parse as dates, old and new in the backtest, the
# flat tables equal model.json's); a failed assertion fails the execution.
# The notebook is committed without outputs, and the executed one must hold
# every chart and no error.
set -u -o pipefail
command -v jupyter >/dev/null || { echo "jupyter missing: skipped"; exit 77; }
fail() { echo "FAIL: $*" >&2; exit 1; }
notebook="$MQL_SRC/notebooks-data/review.ipynb"
out="$(dirname "$MQL_BIN")/notebook"
python=/usr/bin/python3 # Debian's, which has the kernel's pandas and matplotlib
"$python" - "$notebook" <<'PY' || fail "review.ipynb is committed with outputs"
import json, sys
cells = [c for c in json.load(open(sys.argv[1]))["cells"] if c["cell_type"] == "code"]
sys.exit(any(c["outputs"] or c["execution_count"] is not None for c in cells))
PY
rm -rf "$out" && mkdir -p "$out" || fail "cannot create $out"
(cd "$MQL_SRC/notebooks-data" &&
	jupyter nbconvert --to notebook --execute --output-dir "$out" review.ipynb) \
	>"$out/log" 2>&1 || fail "the notebook failed: $(grep -v Debugger "$out/log" | tail -20)"
"$python" - "$out/review.ipynb" <<'PY' || fail "the executed notebook"
import json, sys
cells = [c for c in json.load(open(sys.argv[1]))["cells"] if c["cell_type"] == "code"]
outputs = [o for c in cells for o in c["outputs"]]
errors = [o for o in outputs if o["output_type"] == "error"]
charts = [o for o in outputs if "image/png" in o.get("data", {})]
text = "".join("".join(o.get("text", "")) for o in outputs)
if errors or len(charts) != 7 or "every check holds" not in text:
    sys.exit("%d errors, %d charts, output: %s" % (len(errors), len(charts), text[-500:]))
PY
exit 0
