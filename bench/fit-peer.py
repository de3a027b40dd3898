#!/usr/bin/env python3
"""The work of `mql-fit contacts.csv events.csv --rules RULES` written with
pandas + scikit-learn, for bench/fit.sh: load, features as of mql_at (fit
rules; engagement rules with decay and cap), LogisticRegression without a
penalty.  Prints the coefficients (no standard errors: scikit-learn has
none).  Usage: fit-peer.py contacts.csv events.csv rules.json"""
import json, sys
import numpy as np
import pandas as pd
from sklearn.linear_model import LogisticRegression

contacts_path, events_path, rules_path = sys.argv[1:4]
rules = json.load(open(rules_path))
c = pd.read_csv(contacts_path, dtype=str, keep_default_na=False)
c = c[(c.mql_at != "") & ((c.sal_at != "") | (c.rejected_at != ""))].copy()
c["mql"] = pd.to_datetime(c.mql_at, utc=True)
y = (c.sal_at != "").astype(float).to_numpy()

def fit_column(rule):
    raw = c[rule["property"]].str.strip()
    missing = raw == ""
    op = rule["op"]
    if op == "in":
        return raw.str.lower().isin([v.lower() for v in rule["values"]]).astype(float)
    if op == "missing":
        return missing.astype(float)
    if op == "matches":
        return (~missing & raw.str.contains(rule["pattern"], case=False, regex=True)).astype(float)
    number = pd.to_numeric(raw.str.replace(r"[-+].*$", "", regex=True), errors="coerce")
    if op == "range":
        ok = number.notna()
        if "min" in rule:
            ok &= number >= rule["min"]
        if "max" in rule:
            ok &= number < rule["max"]
        return ok.astype(float)
    return number.fillna(0.0)

X = pd.DataFrame(index=c.index)
for rule in rules["fit"]:
    X[rule["id"]] = fit_column(rule)

ev = pd.read_csv(events_path, usecols=["contact_id", "occurred_at", "event"])
ev = ev.merge(c[["contact_id", "mql"]], on="contact_id")
ev["age"] = (ev.mql - pd.to_datetime(ev.occurred_at, utc=True)).dt.total_seconds() / 86400
ev = ev[ev.age >= 0]
ids = c.contact_id
for rule in rules["engagement"]:
    e = ev[ev.event == rule["event"]]
    if "half_life_days" in rule:
        w = 0.5 ** (e.age / rule["half_life_days"])
    elif "lifespan_days" in rule:
        w = (1 - e.age / rule["lifespan_days"]).clip(lower=0)
    elif "window_days" in rule:
        w = (e.age < rule["window_days"]).astype(float)
    else:
        w = pd.Series(1.0, index=e.index)
    d = w.groupby(e.contact_id).sum().reindex(ids).fillna(0.0).to_numpy()
    X[rule["id"]] = np.minimum(d, rule.get("max_count", np.inf))

model = LogisticRegression(penalty=None, max_iter=1000, tol=1e-8)
model.fit(X.to_numpy(), y)
print("rows", len(y), "positives", int(y.sum()))
print("intercept", model.intercept_[0])
for name, b in zip(X.columns, model.coef_[0]):
    print(name, b)
