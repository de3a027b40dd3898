#!/usr/bin/env python3
"""Checks a history written by mql-gen against its own truth.json and
rules.json with an implementation of the SPEC score formula written here,
independently of libcore.

    gen_check.py DIR [--drift]

Exits 0 when every property holds, 1 with the failures listed otherwise.
"""
import bisect
import csv
import json
import math
import re
import sys
from collections import Counter, defaultdict
from datetime import datetime, timezone

DAY = 86400.0
failures = []


def check(condition, message):
    if not condition:
        failures.append(message)


_day_seconds = {}


def seconds(text):
    """UTC seconds of "2025-03-05T14:07:00Z" (None when empty)."""
    if not text:
        return None
    day = _day_seconds.get(text[:10])
    if day is None:
        day = datetime.strptime(text[:10], "%Y-%m-%d").replace(
            tzinfo=timezone.utc).timestamp()
        _day_seconds[text[:10]] = day
    if len(text) != 20 or text[10] != "T" or text[19] != "Z":
        raise ValueError("not a UTC timestamp: " + text)
    return day + int(text[11:13]) * 3600 + int(text[14:16]) * 60 + \
        int(text[17:19])


class Rules:
    """A mqlcal.rules/1 object: the SPEC score formula."""

    def __init__(self, obj):
        self.threshold = obj["threshold"]
        self.fit = obj["fit"]
        self.engagement = obj["engagement"]
        for rule in self.fit:
            if rule["op"] == "matches":
                rule["_re"] = re.compile(rule["pattern"], re.IGNORECASE)
        self.counted = {r["event"] for r in self.engagement}

    def fit_score(self, contact):
        score = 0.0
        for rule in self.fit:
            value = contact[rule["property"]].strip()
            op = rule["op"]
            if op == "missing":
                hit = value == ""
            elif value == "":
                hit = False
            elif op == "in":
                hit = value.lower() in (v.lower() for v in rule["values"])
            elif op == "range":
                number = float(value)
                hit = number >= rule.get("min", -math.inf) and \
                    number < rule.get("max", math.inf)
            elif op == "matches":
                hit = rule["_re"].search(value) is not None
            else:
                raise ValueError("op " + op)
            if hit:
                score += rule["points"]
        return score

    @staticmethod
    def weight(rule, age_days):
        if "half_life_days" in rule:
            return 0.5 ** (age_days / rule["half_life_days"])
        if "window_days" in rule:
            return 1.0 if age_days < rule["window_days"] else 0.0
        if "lifespan_days" in rule:
            return max(0.0, 1.0 - age_days / rule["lifespan_days"])
        return 1.0

    def engagement_score(self, times_by_type, t):
        score = 0.0
        for rule in self.engagement:
            times = times_by_type.get(rule["event"], ())
            upto = bisect.bisect_right(times, t)  # times are sorted
            if set(rule) & {"half_life_days", "window_days", "lifespan_days"}:
                count = sum(self.weight(rule, (t - te) / DAY)
                            for te in times[:upto])
            else:
                count = upto
            score += rule["points"] * min(rule.get("max_count", math.inf),
                                          count)
        return score

    def first_crossing(self, contact, events):
        fit = self.fit_score(contact)
        created = seconds(contact["created_at"])
        if fit >= self.threshold:
            return created
        times_by_type = defaultdict(list)
        for t, event in events:
            times_by_type[event].append(t)
        candidates = sorted({t for t, event in events if event in self.counted})
        for t in candidates:
            if fit + self.engagement_score(times_by_type, t) >= self.threshold:
                return t
        return None


def load(directory):
    with open(directory + "/truth.json") as f:
        truth = json.load(f)
    with open(directory + "/rules.json") as f:
        old = json.load(f)
    with open(directory + "/contacts.csv", newline="") as f:
        contacts = list(csv.DictReader(f))
    events = defaultdict(list)
    campaigns_touched = Counter()
    ordered = True
    with open(directory + "/events.csv", newline="") as f:
        reader = csv.reader(f)
        check(next(reader) == ["contact_id", "occurred_at", "event",
                               "campaign"], "events.csv header")
        for contact_id, occurred, event, campaign in reader:
            t = seconds(occurred)
            mine = events[contact_id]
            if mine and mine[-1][0] > t:
                ordered = False
            mine.append((t, event))
            if campaign:
                campaigns_touched[campaign] += 1
    check(ordered, "each contact's events are in time order")
    with open(directory + "/spend.csv", newline="") as f:
        spend = list(csv.DictReader(f))
    return truth, old, contacts, events, spend, campaigns_touched


def check_shape(truth, contacts, events, spend, touched):
    channels = Counter(c["channel"] for c in contacts)
    campaigns = Counter(c["campaign"] for c in contacts)
    types = Counter(e for evs in events.values() for _, e in evs)
    check(len(channels) >= 8, "at least 8 channels, got %d" % len(channels))
    check(len(campaigns) >= 24, "dozens of campaigns, got %d" % len(campaigns))
    check(len(types) >= 12, "a dozen event types, got %d" % len(types))
    total = sum(types.values())
    check(types.most_common(1)[0][0] == "email_open",
          "email_open is the most frequent event")
    check(types["email_open"] > 0.3 * total, "email_open is very frequent")
    check(types["demo_request"] < 0.01 * total, "demo_request is rare")
    check(set(events) <= {c["contact_id"] for c in contacts},
          "every event belongs to a contact")
    created = [seconds(c["created_at"]) for c in contacts]
    check(max(created) - min(created) > 650 * DAY, "about two years")
    titles = {c["job_title"] for c in contacts}
    check(any(re.search(r"\bvice president\b", t, re.I) for t in titles) and
          any("intern" in t.lower() for t in titles),
          "free-text job titles with seniority words")
    check(any(c["job_title"] == "" for c in contacts) and
          any(c["seniority"] == "" for c in contacts),
          "some fit properties are missing")
    spent = {s["campaign"] for s in spend}
    check(any(s not in campaigns for s in spent),
          "a campaign with spend but no leads")
    check(all(re.fullmatch(r"\d{4}-\d{2}", s["month"]) and
              float(s["amount"]) > 0 for s in spend), "spend rows")
    check(touched["em_newsletter"] > 0 and touched["ev_field_dinners"] > 0,
          "events carry campaign touches")
    end = seconds(truth["generation"]["end"])
    for c in contacts:
        stages = [seconds(c[k]) for k in ("created_at", "mql_at", "sal_at",
                                          "sql_at", "opportunity_at",
                                          "customer_at")]
        present = [s for s in stages if s is not None]
        if present != sorted(present) or any(s >= end for s in present):
            check(False, "stages in order before the end: " + c["contact_id"])
            break
        if c["sal_at"] and c["rejected_at"]:
            check(False, "accepted and rejected: " + c["contact_id"])
            break
        if bool(c["revenue"]) != bool(c["customer_at"]):
            check(False, "revenue iff customer: " + c["contact_id"])
            break


def check_crossings(old, contacts, events):
    """mql_at is the first crossing of the old rules, to the second."""
    wrong = 0
    for c in contacts:
        t = old.first_crossing(c, events.get(c["contact_id"], []))
        if t != seconds(c["mql_at"]):
            wrong += 1
    check(wrong == 0, "%d contacts whose mql_at is not the old rules' "
          "first crossing" % wrong)


def check_acceptance(truth, contacts, events):
    """Acceptance per channel against the true model as of mql_at."""
    model = Rules(truth["rules"])
    check(abs(model.threshold + truth["intercept"]) < 1e-12,
          "truth threshold is minus the intercept")
    by_channel = defaultdict(lambda: [0, 0.0, 0.0, 0])
    for c in contacts:
        if not c["mql_at"] or not (c["sal_at"] or c["rejected_at"]):
            continue
        t = seconds(c["mql_at"])
        times_by_type = defaultdict(list)
        for te, event in events.get(c["contact_id"], []):
            times_by_type[event].append(te)
        logit = model.fit_score(c) + model.engagement_score(times_by_type, t) \
            - model.threshold
        p = 1 / (1 + math.exp(-logit))
        for key in (c["channel"], "all"):
            row = by_channel[key]
            row[0] += 1 if c["sal_at"] else 0
            row[1] += p
            row[2] += p * (1 - p)
            row[3] += 1
    for channel, (accepted, expected, variance, n) in sorted(
            by_channel.items()):
        z = (accepted - expected) / math.sqrt(variance)
        print("acceptance %-20s n=%5d observed %5d expected %8.1f z %+.2f" %
              (channel, n, accepted, expected, z))
        check(abs(z) < 4, "acceptance of %s off the true model (z %.2f)" %
              (channel, z))
    return by_channel


def check_event_rates(truth, contacts, events):
    """Counts of the non-email event types against the generation
    parameters, over contacts old enough that nothing was cut at the end."""
    gen = truth["generation"]
    end = seconds(gen["end"])
    cutoff = end - gen["engagement_lifetime_days"]["max"] * DAY
    scale = gen["event_scale"]
    type_counts = {c: Counter(e for _, e in evs) for c, evs in events.items()}
    type_counts = defaultdict(Counter, type_counts)
    for info in gen["event_types"]:
        if info["stops_after_unsubscribe"] or info["event"] == "unsubscribe":
            continue
        slope = info["intent_slope"]
        observed = 0
        expected = variance = 0.0
        name = info["event"]
        for c in contacts:
            if seconds(c["created_at"]) > cutoff:
                continue
            mean = info["per_contact"] * scale * \
                info["channel_multipliers"].get(c["channel"], 1.0) * \
                math.exp(slope * gen["channels"][c["channel"]]["intent_mean"])
            expected += mean
            variance += mean + mean * mean * (math.exp(slope * slope) - 1)
            observed += type_counts[c["contact_id"]][name]
        z = (observed - expected) / math.sqrt(variance)
        print("events %-20s observed %7d expected %9.1f z %+.2f" %
              (info["event"], observed, expected, z))
        check(abs(z) < 4, "%s count off its rate (z %.2f)" %
              (info["event"], z))


def check_campaigns_and_spend(truth, contacts, spend):
    """Leads per campaign against the campaign weights (a lead's campaign
    is drawn among those active on its creation day, by weight), and each
    month's spend against expected leads times the channel's cost per lead
    (noise within +-15%)."""
    gen = truth["generation"]
    start = seconds(gen["start"])
    days = int((seconds(gen["end"]) - start) / DAY)
    campaigns = gen["campaigns"]
    first = [int((seconds(c["from"] + "T00:00:00Z") - start) / DAY)
             for c in campaigns]
    last = [int((seconds(c["to"] + "T00:00:00Z") - start) / DAY)
            for c in campaigns]
    per_day = gen["contacts"] / days
    expected_total = [0.0] * len(campaigns)
    expected_month = defaultdict(float)
    for day in range(days):
        weights = [c["daily_weight"] if first[i] <= day <= last[i] else 0
                   for i, c in enumerate(campaigns)]
        total = sum(weights)
        month = datetime.fromtimestamp(start + day * DAY,
                                       timezone.utc).strftime("%Y-%m")
        for i, w in enumerate(weights):
            expected_total[i] += per_day * w / total
            expected_month[campaigns[i]["campaign"], month] += \
                per_day * w / total
    observed = Counter(c["campaign"] for c in contacts)
    for i, c in enumerate(campaigns):
        if c["kind"] != "regular":
            continue
        n, e = observed[c["campaign"]], expected_total[i]
        p = e / gen["contacts"]
        z = (n - e) / math.sqrt(gen["contacts"] * p * (1 - p))
        check(abs(z) < 4, "leads of %s: %d, expected %.1f (z %.2f)" %
              (c["campaign"], n, e, z))
    kinds = {c["campaign"]: c for c in campaigns}
    for row in spend:
        c = kinds[row["campaign"]]
        cost = gen["channels"][c["channel"]]["cost_per_lead"]
        check(row["channel"] == c["channel"], "spend channel of " +
              row["campaign"])
        if c["kind"] != "regular":
            continue
        ratio = float(row["amount"]) / (
            cost * expected_month[row["campaign"], row["month"]])
        check(0.8499 <= ratio <= 1.1501, "spend of %s in %s is %.3f times "
              "its expected leads' cost" % (row["campaign"], row["month"],
                                            ratio))


def check_story(by_channel, contacts):
    """The things reports must find: a channel sales mostly rejects, a
    small campaign, open outcomes at the end."""
    mqls = sum(r[3] for k, r in by_channel.items() if k != "all")
    cs = by_channel["content_syndication"]
    check(cs[0] / cs[3] < 0.3, "content_syndication mostly rejected")
    check(cs[3] > 0.1 * mqls, "content_syndication brings many MQLs")
    for channel in ("paid_search", "organic_search", "referral", "events"):
        row = by_channel[channel]
        check(row[0] / row[3] > 0.45, channel + " mostly accepted")
    small = [c for c in contacts if c["campaign"] == "ev_cxo_dinner_2026"]
    check(len(small) == 2 and all(c["mql_at"] and c["sal_at"] for c in small),
          "the small campaign has 2 leads, both MQLs accepted")
    open_mqls = [c for c in contacts if c["mql_at"] and not c["sal_at"] and
                 not c["rejected_at"]]
    check(len(open_mqls) > 0, "some MQLs are still open at the end")


def check_drift(contacts, truth):
    end = seconds(truth["generation"]["end"])
    start_of_last = end - truth["generation"]["drift"]["last_days"] * DAY
    shares = []
    for last in (False, True):
        group = [c for c in contacts
                 if (seconds(c["created_at"]) >= start_of_last) == last]
        shares.append(sum(c["channel"] == "content_syndication"
                          for c in group) / len(group))
    print("content_syndication share before/last quarter: %.3f %.3f" %
          tuple(shares))
    check(shares[1] > 1.5 * shares[0], "the last quarter is shifted")


def check_drift_psi(old, contacts, events, truth):
    """The old rules' score 30 days after creation: leads of the last
    quarter against those of the two quarters before it, PSI over the
    reference deciles (R scorecard::perf_psi's formula)."""
    end = seconds(truth["generation"]["end"])
    last_from = end - truth["generation"]["drift"]["last_days"] * DAY
    reference, recent = [], []
    for c in contacts:
        created = seconds(c["created_at"])
        if created < last_from - 182 * DAY or created >= end - 30 * DAY:
            continue
        times_by_type = defaultdict(list)
        for t, event in events.get(c["contact_id"], []):
            times_by_type[event].append(t)
        score = old.fit_score(c) + old.engagement_score(times_by_type,
                                                         created + 30 * DAY)
        (recent if created >= last_from else reference).append(score)
    reference.sort()
    cuts = sorted({reference[len(reference) * k // 10] for k in range(1, 10)})

    def shares(scores):
        counts = [0] * (len(cuts) + 1)
        for score in scores:
            counts[bisect.bisect_right(cuts, score)] += 1
        return [(n or 0.5) / len(scores) for n in counts]

    psi = sum((a - e) * math.log(a / e)
              for a, e in zip(shares(recent), shares(reference)))
    print("PSI of the old score, last quarter against the two before: %.3f"
          % psi)
    return psi


def main():
    directory = sys.argv[1]
    truth, old, contacts, events, spend, touched = load(directory)
    if "--drift" in sys.argv:
        check(truth["generation"]["drift"]["enabled"], "drift recorded")
        check_drift(contacts, truth)
        check(check_drift_psi(Rules(old), contacts, events, truth) > 0.25,
              "the old score drifts (PSI > 0.25) in the last quarter")
    elif "--stable" in sys.argv:
        check(check_drift_psi(Rules(old), contacts, events, truth) < 0.1,
              "without --drift the old score is stable (PSI < 0.1)")
    else:
        check_shape(truth, contacts, events, spend, touched)
        check_crossings(Rules(old), contacts, events)
        by_channel = check_acceptance(truth, contacts, events)
        check_event_rates(truth, contacts, events)
        check_campaigns_and_spend(truth, contacts, spend)
        check_story(by_channel, contacts)
    for message in failures:
        print("FAIL:", message)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
