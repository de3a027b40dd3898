# mql-review-page.sh - the one-page summary of mql-review.sh (sourced by it).
#
# review_page writes OUT/index.html to stdout from the review's CSV outputs in
# $notebook and the summaries in $out: what changed in the rules and why,
# what the new rules would have done, which channels to kill, and cost per
# customer, each linking to the full report.  Text from the data is escaped.
# Its style is the report writer's, taken from the funnel page the review
# has just written, so the summary looks like every other report.

# Prints an HTML table of CSV file $1: columns named in $2 (comma list, in
# that order), rows where column $3 equals $4 (both empty: every row), at
# most $5 rows.  Quoted CSV fields may hold commas.
csv_table() {
	[ -r "$1" ] || { echo "<p>(not available)</p>"; return 0; }
	gawk -v want="$2" -v key="$3" -v value="$4" -v limit="${5:-1000}" '
	function esc(s) { gsub(/&/, "\\&amp;", s); gsub(/</, "\\&lt;", s); gsub(/>/, "\\&gt;", s); return s }
	# Amounts of 100 or more as whole numbers with thousands commas, smaller
	# fractions (rates, ratios) to three places, whole counts as they are.
	function figure(x,   s, sign) {
		if (x !~ /\./ && (x < 0 ? -x : x) < 10000) return x
		if ((x < 0 ? -x : x) < 100) return sprintf("%.3f", x)
		s = sprintf("%.0f", x < 0 ? -x : x); sign = x < 0 ? "-" : ""
		while (s ~ /[0-9]{4}/) sub(/[0-9]{3}($|,)/, ",&", s)
		return sign s
	}
	function unquote(s) { if (s ~ /^".*"$/) { s = substr(s, 2, length(s) - 2); gsub(/""/, "\"", s) } return s }
	BEGIN { FPAT = "([^,]*)|(\"([^\"]|\"\")*\")"; n = split(want, cols, ",") }
	{ sub(/\r$/, "") } # the tables write CRLF, as RFC 4180 does
	NR == 1 {
		for (i = 1; i <= NF; i++) index_of[unquote($i)] = i
		printf "<table><tr>"
		for (c = 1; c <= n; c++) printf "<th>%s</th>", esc(cols[c])
		print "</tr>"
		next
	}
	key != "" && unquote($(index_of[key])) != value { next }
	shown >= limit { next }
	{
		shown++
		printf "<tr>"
		for (c = 1; c <= n; c++) {
			cell = unquote($(index_of[cols[c]]))
			if (cell ~ /^-?[0-9]+(\.[0-9]+)?$/) cell = figure(cell)
			printf "<td>%s</td>", esc(cell)
		}
		print "</tr>"
	}
	END { print "</table>"; if (shown == 0) print "<p>(none)</p>" }' "$1"
}

# Escapes stdin for HTML.
html_text() {
	sed -e 's/&/\&amp;/g' -e 's/</\&lt;/g' -e 's/>/\&gt;/g'
}

review_page() {
	cat <<EOF
<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Quarterly lead-score review</title>
$(sed -n '/^<style>$/,/^<\/style>$/p' "$out/funnel.html")
<style>pre{background:#f7f7f7;padding:.6rem;white-space:pre-wrap}</style>
</head><body>
<h1>Quarterly lead-score review</h1>
<p class="subtitle">$(printf '%s' "$contacts: leads from $first_lead to $last_lead. The fit learned from the months before $holdout_from; the backtest judges on the months since. The new threshold keeps about $capacity MQLs a month, today's volume." | html_text)</p>
<p>$(printf '%s' "The fit's outcome: --label $label; $(awk -F, '$1 == "outcomes" && $2 == "definition" { sub(/^[^,]*,[^,]*,[^,]*,[^,]*,/, ""); gsub(/^"|"$/, ""); print }' "$notebook/check.csv")." | html_text)</p>

<h2>What changed in the rules, and why</h2>
<p>Each rule's points were refitted from sales' decisions (20 points double the odds of acceptance). Largest changes first; flags mark rules whose sign flipped or whose evidence cannot tell the direction. Full table: <a href="rule-changes.md">rule-changes.md</a>; the new rule file: <a href="../$notebook/rules.json">rules.json</a>.</p>
$(csv_table "$notebook/rule-changes.csv" "rule,old_points,new_points,flags,reason" "" "" 15)
<pre>$(html_text <"$out/rules.txt")</pre>

<h2>What the new rules would have done</h2>
<p>Both rule files replayed over the held-out months (full report: <a href="backtest.html">backtest.html</a>).</p>
$(csv_table "$notebook/backtest.csv" "rules,period,mql,accepted_rate,sql_rate,customer_rate,auc,psi,drift" "period" "all")
<pre>$(html_text <"$out/backtest.txt" 2>/dev/null)</pre>

<h2>Channels to kill</h2>
<p>Channels whose MQLs convert significantly worse than the rest, shrunk toward the overall rate (full report: <a href="channels.html">channels.html</a>).</p>
$(csv_table "$notebook/channels.csv" "channel,mql,sql,rate_shrunk,cost_per_customer,reason" "decision" "kill")

<h2>Cost per customer</h2>
<p>Spend against the leads, MQLs, SQLs and customers it brought, by channel (full report: <a href="cost.html">cost.html</a>).</p>
$(csv_table "$notebook/cost.csv" "channel,spend,leads,mql,customer,cost_per_mql,cost_per_customer,roi" "" "")

<h2>Everything else</h2>
<ul>
<li><a href="check.md">check.md</a>: what is in the exports and what is wrong with them</li>
<li><a href="fit.txt">fit.txt</a>: the fitted model, its coefficients and validation</li>
<li><a href="funnel.html">funnel.html</a>: conversion and time to qualify by channel</li>
<li>Notebook-friendly CSV and JSON: <code>$(printf '%s' "$notebook" | html_text)/</code></li>
</ul>
</body></html>
EOF
}
