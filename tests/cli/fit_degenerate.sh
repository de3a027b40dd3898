#!/usr/bin/env bash
# Degenerate designs: an aliased rule (a copy of another), a rule whose rows
# are all positive (separation), a constant rule and an engagement rule with
# no events: mql-fit warns by rule name and exits 0, with no NaN or infinity
# in model.json.  A population without negatives is refused (exit 65), and
# so is a --window of more than 100 years (exit 2).
set -euo pipefail
T=$(mktemp -d)
trap 'rm -rf "$T"' EXIT
# 80 leads: tier A on odd rows; vip on rows 1-8, all converted; won on
# every third row and on the vip rows.
{
	echo "contact_id,tier,vip,region,won"
	for i in $(seq 1 80); do
		tier=B; [ $((i % 2)) -eq 1 ] && tier=A
		vip=no; [ "$i" -le 8 ] && vip=yes
		won=0; { [ $((i % 3)) -eq 0 ] || [ "$i" -le 8 ]; } && won=1
		echo "c$i,$tier,$vip,emea,$won"
	done
} > "$T/contacts.csv"
cat > "$T/rules.json" <<'JSON'
{"format": "mqlcal.rules/1", "threshold": 10,
 "fit": [
  {"id": "tier_a", "property": "tier", "op": "in", "values": ["A"], "points": 5},
  {"id": "tier_a_again", "property": "tier", "op": "in", "values": ["a"], "points": 5},
  {"id": "vip", "property": "vip", "op": "in", "values": ["yes"], "points": 20},
  {"id": "emea", "property": "region", "op": "in", "values": ["emea"], "points": 1}
 ],
 "engagement": [{"id": "demo", "event": "demo_request", "points": 10}]}
JSON
mql-fit "$T/contacts.csv" --outcome won --rules "$T/rules.json" -o "$T/model.json" > "$T/out.txt"
python3 - "$T/model.json" <<'PY'
import json, sys
def no_constants(name):
    raise ValueError(f"non-finite number {name} in model.json")
m = json.load(open(sys.argv[1]), parse_constant=no_constants)
w = " | ".join(m["warnings"])
bad = [f"no warning naming {r}" for r in ("tier_a_again", "vip", "emea", "demo") if f"'{r}'" not in w]
coef = {c["name"]: c for c in m["coefficients"]}
if coef["tier_a_again"]["estimate"] is not None:
    bad.append("aliased rule has an estimate")
if not isinstance(coef["vip"]["estimate"], float) or abs(coef["vip"]["estimate"]) > 25:
    bad.append(f"vip estimate {coef['vip']['estimate']}")
if bad:
    print("\n".join(bad), "\n", w)
    sys.exit(1)
PY
grep -q "warnings:" "$T/out.txt"
# Every lead converted: nothing to learn from.
sed 's/,[01]$/,1/' "$T/contacts.csv" > "$T/all-won.csv"
status=0
mql-fit "$T/all-won.csv" --outcome won --rules "$T/rules.json" -o "$T/none.json" \
	2> "$T/err.txt" || status=$?
[ "$status" -eq 65 ] || { echo "exit $status, expected 65"; cat "$T/err.txt"; exit 1; }
[ ! -e "$T/none.json" ]
grep -q "mql-fit" "$T/err.txt"
# 1e20 days has no time in seconds (it would wrap and label every lead
# 0); 36501 is just past the 100-year bound.  Refused as usage errors.
for window in 1e20 36501; do
	status=0
	mql-fit "$MQL_FIXTURES/fit/stages.csv" --label sql --window "$window" \
		-o "$T/window.json" 2> "$T/err.txt" || status=$?
	[ "$status" -eq 2 ] || { echo "--window $window: exit $status, expected 2"; cat "$T/err.txt"; exit 1; }
	grep -q "at most 36500" "$T/err.txt" || { echo "message: $(cat "$T/err.txt")"; exit 1; }
	[ ! -e "$T/window.json" ]
done
