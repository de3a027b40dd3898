#!/usr/bin/env bash
# mql-cost and mql-channels with a currency, and cost.html's quarterly
# trend, on a textbook history worked by hand.  Campaign "launch" (channel
# paid) spent 10,000 in each of January, February and March 2026 (Q1:
# 30,000) and 20,000 in each of April and May (Q2: 40,000), in EUR.
#   Q1: 300 MQLs (February) and 30 customers (March):
#       30,000 / 300 = 100 per MQL, 30,000 / 30 = 1,000 per customer;
#   Q2: 200 MQLs (May) and 50 customers (June):
#       40,000 / 200 = 200 per MQL, 40,000 / 50 = 800 per customer.
# By channel, paid spent 70,000 for 500 MQLs and 80 customers: 140 per MQL
# and 875 per customer.
set -u -o pipefail
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
{
	echo "contact_id,created_at,channel,campaign,mql_at,customer_at"
	for i in $(seq 1 500); do
		if [ "$i" -le 300 ]; then
			created=2026-01-10 mql=2026-02-15 customer=
			[ "$i" -le 30 ] && customer=2026-03-10
		else
			created=2026-04-10 mql=2026-05-10 customer=
			[ "$i" -le 350 ] && customer=2026-06-01
		fi
		echo "c$i,$created,paid,launch,$mql,$customer"
	done
} >"$tmp/contacts.csv"
cat >"$tmp/spend.csv" <<'CSV'
campaign,channel,month,amount,currency
launch,paid,2026-01,10000,EUR
launch,paid,2026-02,10000,EUR
launch,paid,2026-03,10000,EUR
launch,paid,2026-04,20000,EUR
launch,paid,2026-05,20000,EUR
CSV

# csv: a currency column, last, from the spend file or from --currency.
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --by quarter --format csv |
	tr -d '\r' >"$tmp/quarter.csv" || fail "mql-cost --by quarter exited $?"
head -1 "$tmp/quarter.csv" | grep -q ',roi,period_start,currency$' ||
	fail "header: $(head -1 "$tmp/quarter.csv")"
# level,quarter,spend,leads,mql,sql,customer,revenue,per_lead,per_mql,per_sql,per_customer
cols() { awk -F, -v g="$1" '$2 == g' "$tmp/quarter.csv" | cut -d, -f3,5,7,10,12,15; }
[ "$(cols 2026-Q1)" = "30000,300,30,100,1000,EUR" ] || fail "Q1: $(cols 2026-Q1)"
[ "$(cols 2026-Q2)" = "40000,200,50,200,800,EUR" ] || fail "Q2: $(cols 2026-Q2)"
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --currency USD --format csv |
	tr -d '\r' | awk -F, 'NR > 1 && $NF != "USD" { bad = 1 } END { exit bad }' ||
	fail "--currency USD not on every row"
# table: the code in its own column
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --wide | head -1 | grep -q ' currency *$' ||
	fail "table without a currency column"
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --currency usd >/dev/null 2>&1
[ $? -eq 2 ] || fail "--currency usd should be a usage error"

# cost.html: bars labelled with the money, and the quarterly trend.
mql-cost "$tmp/contacts.csv" "$tmp/spend.csv" --format html -o "$tmp/cost.html" ||
	fail "html exited $?"
python3 - "$tmp/cost.html" <<'PY' || fail "cost.html"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
nb = "\u00a0"
def cells(caption):
    table = re.search(r"<caption>%s</caption>(.*?)</table>" % re.escape(caption), page, re.S)
    assert table, "no table " + caption
    rows = re.findall(r"<tr>(.*?)</tr>", table.group(1), re.S)
    return [re.findall(r"<t[dh][^>]*>(.*?)</t[dh]>", r) for r in rows]
# the bars' labels are the money, not counts
texts = re.findall(r"<text[^>]*>([^<]*)</text>", page)
for amount in ("EUR" + nb + "140", "EUR" + nb + "875"):
    assert amount in texts, (amount, texts)
assert not any(t.endswith("MQLs") or t.endswith("customers") for t in texts), texts
# the trend: a chart over the quarters and the table behind it
assert "Cost per MQL by quarter" in page and "Cost per customer by quarter" in page
assert "2026-Q1" in texts and "2026-Q2" in texts, texts
rows = cells("Cost per MQL and per customer by quarter")
want = [["2026-Q1", "EUR" + nb + "30,000", "300", "30", "EUR" + nb + "100", "EUR" + nb + "1,000"],
        ["2026-Q2", "EUR" + nb + "40,000", "200", "50", "EUR" + nb + "200", "EUR" + nb + "800"]]
assert rows[1:] == want, rows
# every amount of the page carries the currency: key figures too
assert "EUR" + nb + "70,000" in page
PY

# A quarter with fewer than 10 customers is more noise than trend: the cost
# per customer chart leaves it out (its line starts at the next quarter)
# and says so, the table keeps it.  Q1 2026: 200 MQLs, 5 customers; Q2:
# 300 MQLs, 20 customers; Q3: 300 MQLs, 30 customers; 10,000 a quarter.
{
	echo "contact_id,created_at,channel,mql_at,customer_at"
	for i in $(seq 1 800); do
		if [ "$i" -le 200 ]; then
			mql=2026-02-15 customer=
			[ "$i" -le 5 ] && customer=2026-03-10
		elif [ "$i" -le 500 ]; then
			mql=2026-05-10 customer=
			[ "$i" -le 220 ] && customer=2026-06-01
		else
			mql=2026-08-10 customer=
			[ "$i" -le 530 ] && customer=2026-09-01
		fi
		echo "n$i,2026-01-05,paid,$mql,$customer"
	done
} >"$tmp/few.csv"
printf 'channel,period_start,period_end,amount\npaid,2026-01-01,2026-09-30,30000\n' >"$tmp/few-spend.csv"
mql-cost "$tmp/few.csv" "$tmp/few-spend.csv" --format html -o "$tmp/few.html" ||
	fail "few: html exited $?"
python3 - "$tmp/few.html" <<'PY' || fail "few.html"
import re, sys
page = open(sys.argv[1], encoding="utf-8").read()
said = re.findall(r"Quarters with fewer than 10 (\w+) are left out of the chart \(([^)]*)\)", page)
assert said == [("customers", "2026-Q1: 5")], said
# the two trend lines, per MQL then per customer: three points, then two
paths = re.findall(r'<path d="(M[^"]*)" stroke="#0072B2"', page)[-2:]
assert [p.count("L") for p in paths] == [2, 1], paths
rows = re.findall(r"<tr>(.*?)</tr>", page.split("<caption>Cost per MQL and per customer by quarter</caption>")[1].split("</table>")[0], re.S)
assert len(rows) == 4 and "2026-Q1" in rows[1], rows
PY

# mql-channels: the currency in its csv and on its page's amounts.
mql-channels "$tmp/contacts.csv" "$tmp/spend.csv" --as-of 2027-01-01 --format csv |
	tr -d '\r' >"$tmp/channels.csv" || fail "mql-channels exited $?"
head -1 "$tmp/channels.csv" | grep -q ',spend,currency$' || fail "channels header: $(head -1 "$tmp/channels.csv")"
awk -F, 'NR > 1 && $NF != "EUR" { bad = 1 } END { exit bad }' "$tmp/channels.csv" ||
	fail "channels rows without EUR"
mql-channels "$tmp/contacts.csv" "$tmp/spend.csv" --as-of 2027-01-01 --stage customer \
	--format html -o "$tmp/channels.html" || fail "mql-channels html exited $?"
# 70,000 / 80 customers = 875 per customer
grep -q "EUR.875<" "$tmp/channels.html" || fail "channels.html: no EUR 875"
mql-channels "$tmp/contacts.csv" --as-of 2027-01-01 --format csv | tr -d '\r' | head -1 | grep -q ',currency$' ||
	fail "channels csv without spend lacks the currency column"
exit 0
