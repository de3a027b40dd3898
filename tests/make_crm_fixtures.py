#!/usr/bin/env python3
"""Writes tests/fixtures/crm/: CRM exports in the shapes people download.

    python3 tests/make_crm_fixtures.py [OUTDIR]

Every name, company and number is invented here (no licence needed); the
output is the same on every run (one seeded generator per file), so the
committed files can be regenerated and compared.

Files:
  hubspot-contacts.csv       HubSpot "all contacts" export: labels as the
                             export writes them, UTF-8, the extra columns
                             a real export carries (names, e-mail, stage,
                             status, score, revenue, export-time counts)
  salesforce-leads.csv       Salesforce Lead report, German locale
                             ("05.03.2026 14:07", "4.800", "EUR 1.234,56"),
                             Windows-1252 bytes, every field quoted, and the
                             report footer
  salesforce-campaign-members.csv
                             Campaign Member report of the same leads,
                             unfiltered: one row per member and campaign,
                             responded (1, a First Responded Date) or not
                             (0, no date), leads (Lead ID) and contacts
                             (Contact ID 003..., Lead ID empty; not in the
                             lead report) (German dates, Windows-1252,
                             footer)
  pardot-visitor-activities.csv
                             Account Engagement visitor activities
  marketo-activities.csv     Marketo activity log
  truth.json                 the counts the generator decided (for a
                             reader; the tests count from the CSV files)

The outcome behind both exports is logistic: a lead's chance of being
accepted by sales grows with seniority, company size, a good source and,
for Salesforce, campaign responses before its MQL date; rejection is what
is left of the MQLs decided before the export.  Columns such as Lifecycle
Stage, Lead Status, HubSpot Score, Total Revenue, the owner and the
export-time counts are written from the outcome (as a CRM would), so a fit
that used them would look perfect and mean nothing.
"""

import csv
import io
import json
import math
import os
import random
import sys
from datetime import datetime, timedelta

EXPORT_AT = datetime(2026, 3, 2, 9, 30)
START = datetime(2025, 1, 6, 8, 0)
SPAN_DAYS = (datetime(2026, 2, 20) - START).days

FIRST = ["Anna", "Ben", "Clara", "David", "Emma", "Felix", "Greta", "Hugo",
         "Ines", "Jonas", "Karla", "Lukas", "Mia", "Noah", "Olga", "Paul",
         "Rosa", "Simon", "Tara", "Uwe", "Vera", "Wim", "Yara", "Zoe"]
LAST = ["Meyer", "Schmidt", "Novak", "Berg", "Dubois", "Jansen", "Garcia",
        "Rossi", "Keller", "Lund", "Moreau", "Visser", "Brandt", "Ortega"]
LAST_ACCENTED = ["Müller", "Jäger", "Lefèvre", "Søndergaard", "Núñez",
                 "Weiß", "Château"]
COMPANY_WORDS = ["Nordlicht", "Bergwerk", "Alpen", "Hafen", "Kontor",
                 "Lumière", "Rivage", "Delta", "Quartz", "Vireo", "Kestrel"]
COMPANY_ACCENTED = ["Société Lumière SARL", "Müller Maschinenbau GmbH",
                    "Brückner & Söhne KG", "Café Crème SA",
                    "Größer Logistik AG"]

TITLES = [  # (title, seniority: 2 executive, 1 manager, 0 staff)
    ("CEO", 2), ("VP Marketing", 2), ("VP Sales", 2), ("Head of Growth", 2),
    ("Chief Revenue Officer", 2), ("Director of Operations", 2),
    ("Marketing Manager", 1), ("Sales Manager", 1), ("IT Manager", 1),
    ("Team Lead Demand Gen", 1), ("Analyst", 0), ("Software Engineer", 0),
    ("Marketing Assistant", 0), ("Student", 0), ("Intern", 0),
    ("Consultant", 0)]
INDUSTRIES = [("Software", 0.5), ("Financial Services", 0.3),
              ("Manufacturing", 0.0), ("Retail", -0.2),
              ("Education", -0.8), ("Healthcare", 0.1)]
COUNTRIES = ["Germany", "United States", "United Kingdom", "France",
             "Netherlands", "Spain", "Austria"]


def logistic(x):
    return 1.0 / (1.0 + math.exp(-x))


def company_size(rng):
    """Employees, skewed to small companies."""
    return int(math.exp(rng.uniform(math.log(2), math.log(40000))))


def pick_weighted(rng, pairs):
    total = sum(w for _, w in pairs)
    x = rng.uniform(0, total)
    for value, weight in pairs:
        x -= weight
        if x <= 0:
            return value
    return pairs[-1][0]


# ---------------------------------------------------------------- HubSpot

HUBSPOT_SOURCES = [("Organic Search", 0.2), ("Paid Search", 0.4),
                   ("Paid Social", -0.3), ("Email Marketing", 0.0),
                   ("Referrals", 0.8), ("Direct Traffic", 0.1),
                   ("Offline Sources", 0.3)]
HUBSPOT_CAMPAIGNS = ["2025 Q1 Webinar Series", "Pricing Guide 2025",
                     "Trade Show Berlin", "Retargeting EU", ""]
HUBSPOT_FORMS = ["Demo Request", "Contact Us", "Pricing Guide Download",
                 "Newsletter Sign-up", "Webinar Registration"]
HUBSPOT_OWNERS = ["Lena Vogt", "Marco Bianchi", "Sara Lindqvist"]


def hubspot_employees(n):
    """The employee ranges of HubSpot's Number of Employees property,
    written with thousands separators as exports show them."""
    for upper, text in [(5, "1-5"), (25, "5-25"), (50, "25-50"),
                        (100, "50-100"), (500, "100-500"),
                        (1000, "500-1,000"), (10000, "1,000+")]:
        if n < upper:
            return text
    return "10,000+"


def hs_time(t):
    return t.strftime("%Y-%m-%d %H:%M") if t else ""


def write_hubspot(path, rows=420, seed=12):
    rng = random.Random(seed)
    header = ["Record ID", "First Name", "Last Name", "Email", "Create Date",
              "Lifecycle Stage", "Lead Status", "Original Source",
              "First Touch Converting Campaign",
              "Became a Marketing Qualified Lead Date",
              "Became a Sales Qualified Lead Date",
              "Became an Opportunity Date", "Became a Customer Date",
              "Job Title", "Number of Employees", "Industry",
              "Country/Region", "Annual Revenue", "HubSpot Score",
              "Total Revenue", "Number of Pageviews", "Number of Sessions",
              "Marketing emails opened", "Marketing emails clicked",
              "Number of Form Submissions", "Recent Conversion",
              "Recent Conversion Date", "First Conversion",
              "Last Activity Date", "Contact owner"]
    counts = {"contacts": rows, "mql": 0, "accepted": 0, "rejected": 0,
              "open": 0}
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(header)
    for i in range(rows):
        first = rng.choice(FIRST)
        last = rng.choice(LAST_ACCENTED if rng.random() < 0.1 else LAST)
        created = START + timedelta(days=rng.uniform(0, SPAN_DAYS))
        title, seniority = rng.choice(TITLES)
        size = company_size(rng)
        industry, industry_effect = rng.choice(INDUSTRIES)
        source = pick_weighted(rng, [(s, 1.0) for s, _ in HUBSPOT_SOURCES])
        source_effect = dict(HUBSPOT_SOURCES)[source]
        # the true model: logit P(accepted) among MQLs
        eta = (-2.6 + 1.5 * seniority + 0.6 * math.log10(size) +
               source_effect + industry_effect)
        lead_status, stage = "", "Lead"
        mql = sql = opportunity = customer = None
        revenue = 0.0
        if rng.random() < 0.62:
            mql = created + timedelta(days=rng.expovariate(1 / 12.0),
                                      hours=rng.uniform(0, 8))
        if mql and mql < EXPORT_AT:
            counts["mql"] += 1
            stage = "Marketing Qualified Lead"
            decided = mql + timedelta(days=rng.uniform(1, 45))
            if decided > EXPORT_AT:
                counts["open"] += 1
                lead_status = rng.choice(["New", "Open", "In Progress",
                                          "Attempted to Contact"])
            elif rng.random() < logistic(eta):
                counts["accepted"] += 1
                sql, stage = decided, "Sales Qualified Lead"
                lead_status = rng.choice(["Connected", "Open Deal"])
                if rng.random() < 0.55:
                    opportunity = sql + timedelta(days=rng.uniform(3, 30))
                    stage = "Opportunity"
                    if opportunity > EXPORT_AT:
                        opportunity, stage = None, "Sales Qualified Lead"
                if opportunity and rng.random() < 0.45:
                    customer = opportunity + timedelta(
                        days=rng.uniform(10, 60))
                    if customer > EXPORT_AT:
                        customer = None
                    else:
                        stage = "Customer"
                        revenue = round(rng.uniform(8000, 90000), 2)
            else:
                counts["rejected"] += 1
                # a rejection is a status, with no date of its own
                lead_status = rng.choice(["Unqualified", "Bad Timing"])
        elif rng.random() < 0.7:
            lead_status = rng.choice(["New", "", ""])
        else:
            stage = "Subscriber"
        accepted = sql is not None
        decided_rejected = lead_status in ("Unqualified", "Bad Timing")
        pageviews = int(rng.expovariate(1 / 6.0)) + (18 if accepted else 0)
        score = int(max(0, rng.gauss(25, 8) + (45 if accepted else 0) -
                        (15 if decided_rejected else 0)))
        form = rng.choice(HUBSPOT_FORMS)
        last_activity = min(EXPORT_AT, (sql or mql or created) +
                            timedelta(days=rng.uniform(0, 40)))
        w.writerow([
            str(51234500 + i * 7), first, last,
            f"{first.lower()}.{i}@example.com", hs_time(created), stage,
            lead_status, source, rng.choice(HUBSPOT_CAMPAIGNS),
            hs_time(mql if mql and mql < EXPORT_AT else None), hs_time(sql),
            hs_time(opportunity), hs_time(customer), title,
            hubspot_employees(size), industry, rng.choice(COUNTRIES),
            str(int(size * rng.uniform(60000, 250000))), str(score),
            f"{revenue:.2f}" if revenue else "", str(pageviews),
            str(max(1, pageviews // 3)),
            str(int(rng.expovariate(1 / 4.0)) + (6 if accepted else 0)),
            str(int(rng.expovariate(1 / 1.5)) + (3 if accepted else 0)),
            str(1 + int(rng.expovariate(1.0)) + (2 if accepted else 0)),
            form if rng.random() < 0.8 else "",
            hs_time(last_activity), form, hs_time(last_activity),
            rng.choice(HUBSPOT_OWNERS) if accepted or decided_rejected
            else ""])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())
    return counts


# ------------------------------------------------------------- Salesforce

SF_SOURCES = [("Web", 0.2), ("Partner Referral", 0.8), ("Trade Show", 0.3),
              ("Purchased List", -0.9), ("Advertisement", -0.1),
              ("Employee Referral", 0.5)]
SF_CAMPAIGNS = [  # (name, type, member status when responded, effect)
    ("Webinar Pipeline Hygiene", "Webinar", "Attended", 0.7),
    ("Whitepaper Lead Scoring", "Content", "Downloaded", 0.2),
    ("Messe München 2025", "Trade Show", "Visited Booth", 0.4),
    ("Newsletter Februar", "Email", "Clicked", 0.05),
    ("Demo Anfrage", "Website", "Requested Demo", 1.3)]
# the member status of a member that has not responded, per campaign type
SF_NOT_RESPONDED = {"Webinar": "Registered", "Content": "Sent",
                    "Trade Show": "Invited", "Email": "Sent",
                    "Website": "Sent"}


def de_number(x, decimals=0):
    """x in German notation: 1.234,56."""
    text = f"{x:,.{decimals}f}"
    return text.replace(",", "\x00").replace(".", ",").replace("\x00", ".")


def de_date(t, with_time=False):
    if not t:
        return ""
    return t.strftime("%d.%m.%Y %H:%M" if with_time else "%d.%m.%Y")


def sf_id(prefix, rng):
    alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
    return prefix + "".join(rng.choice(alphabet) for _ in range(15))


def sf_footer(generated):
    return [["Copyright (c) 2000-2026 salesforce.com, inc. All rights "
             "reserved."],
            ["Confidential Information - Do Not Distribute"],
            [f"Generated By: Jana Beispiel  {de_date(generated, True)}"],
            ["Beispiel Software GmbH"]]


def write_report(path, header, rows, generated):
    """A Salesforce report export: every field quoted, CRLF, a blank
    line and the footer, in Windows-1252."""
    out = io.StringIO()
    w = csv.writer(out, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(rows)
    out.write("\r\n")
    w.writerows(sf_footer(generated))
    with open(path, "wb") as f:
        f.write(out.getvalue().encode("cp1252"))


def salesforce_leads(rows=360, seed=34):
    """The leads, their campaign responses and the counts."""
    rng = random.Random(seed)
    leads, responses = [], []
    counts = {"leads": rows, "mql": 0, "accepted": 0, "rejected": 0,
              "open": 0, "responses": 0}
    for i in range(rows):
        created = START + timedelta(days=rng.uniform(0, SPAN_DAYS),
                                    minutes=rng.randint(0, 600))
        title, seniority = rng.choice(TITLES)
        size = company_size(rng)
        industry, industry_effect = rng.choice(INDUSTRIES)
        source = pick_weighted(rng, [(s, 1.0) for s, _ in SF_SOURCES])
        lead = {"id": sf_id("00Q", rng), "created": created,
                "first": rng.choice(FIRST),
                "last": rng.choice(LAST_ACCENTED if rng.random() < 0.15
                                   else LAST),
                "company": (rng.choice(COMPANY_ACCENTED)
                            if rng.random() < 0.12 else
                            rng.choice(COMPANY_WORDS) + " " +
                            rng.choice(["GmbH", "AG", "BV", "SA", "Ltd"])),
                "title": title, "size": size, "industry": industry,
                "source": source, "mql": None, "converted": None,
                "status": "Open - Not Contacted"}
        # responses before the MQL decision carry the intent
        engagement = 0.0
        for name, kind, status, effect in SF_CAMPAIGNS:
            if rng.random() < 0.22 + 0.08 * seniority:
                at = created + timedelta(days=rng.uniform(0, 25))
                responses.append((name, kind, status, at, lead))
                engagement += effect
        eta = (-2.8 + 1.2 * seniority + 0.5 * math.log10(size) +
               dict(SF_SOURCES)[source] + industry_effect + engagement)
        if rng.random() < 0.65:
            lead["mql"] = created + timedelta(days=rng.uniform(26, 45))
        if lead["mql"] and lead["mql"] < EXPORT_AT:
            counts["mql"] += 1
            decided = lead["mql"] + timedelta(days=rng.uniform(2, 25))
            if decided > EXPORT_AT:
                counts["open"] += 1
                lead["status"] = "Working - Contacted"
            elif rng.random() < logistic(eta):
                counts["accepted"] += 1
                lead["converted"] = decided
                lead["status"] = "Closed - Converted"
            else:
                counts["rejected"] += 1
                lead["status"] = "Closed - Not Converted"
        else:
            lead["mql"] = None
            lead["status"] = rng.choice(["Open - Not Contacted",
                                         "Working - Contacted"])
        leads.append(lead)
    counts["responses"] = len(responses)
    return leads, responses, counts, rng


def write_salesforce(directory, seed=34):
    leads, responses, counts, rng = salesforce_leads(seed=seed)
    header = ["Lead ID", "First Name", "Last Name", "Company / Account",
              "Email", "Phone", "Title", "Lead Source", "Lead Status",
              "Industry", "No. of Employees", "Annual Revenue", "Country",
              "Created Date", "MQL Date", "Converted Date", "Lead Owner",
              "Rating", "Last Activity"]
    rows = []
    for lead in leads:
        size = lead["size"]
        owner = ("Jonas Weber" if lead["status"].startswith("Closed")
                 else "")
        rating = ("Hot" if lead["converted"] else
                  "Cold" if lead["status"] == "Closed - Not Converted"
                  else rng.choice(["Warm", ""]))
        last = lead["converted"] or lead["mql"] or lead["created"]
        rows.append([
            lead["id"], lead["first"], lead["last"], lead["company"],
            f"{lead['first'].lower()}@{lead['id'][-6:].lower()}.example",
            f"+49 89 {rng.randint(1000000, 9999999)}", lead["title"],
            lead["source"], lead["status"], lead["industry"],
            de_number(size),
            "EUR " + de_number(size * rng.uniform(90000, 210000), 2),
            rng.choice(["Deutschland", "Österreich", "Schweiz", "France",
                        "Nederland"]),
            de_date(lead["created"], True), de_date(lead["mql"]),
            de_date(lead["converted"]), owner, rating, de_date(last)])
    write_report(os.path.join(directory, "salesforce-leads.csv"), header,
                 rows, EXPORT_AT)
    members = [(name, kind, status, at, lead["id"], "", lead)
               for name, kind, status, at, lead in responses]
    members += other_members(leads, responses, seed + 1)
    member_rows = []
    # by campaign, then by first response; members who did not respond last
    for name, kind, status, at, lead_id, contact_id, who in sorted(
            members, key=lambda m: (m[0], m[3] is None, m[3] or START)):
        member_rows.append([name, kind, status, "1" if at else "0",
                            de_date(at), lead_id, contact_id, who["first"],
                            who["last"], who["company"]])
    counts["members"] = len(members)
    counts["contact_members"] = sum(1 for m in members if m[5])
    counts["not_responded"] = sum(1 for m in members if m[3] is None)
    write_report(os.path.join(directory,
                              "salesforce-campaign-members.csv"),
                 ["Campaign Name", "Campaign Type", "Member Status",
                  "Responded", "First Responded Date", "Lead ID",
                  "Contact ID", "First Name", "Last Name",
                  "Company / Account"], member_rows, EXPORT_AT)
    return counts


def other_members(leads, responses, seed, contacts=30, invited=160):
    """The members an unfiltered report adds to the responses of leads:
    contacts (Contact ID, no Lead ID; responded or not) and members that
    did not respond (Responded 0, no date), one row per member and
    campaign, from a generator of their own."""
    rng = random.Random(seed)
    taken = {(r[0], r[4]["id"]) for r in responses}
    members = []
    for _ in range(contacts):
        person = {"first": rng.choice(FIRST), "last": rng.choice(LAST),
                  "company": rng.choice(COMPANY_WORDS) + " GmbH"}
        contact_id = sf_id("003", rng)
        for name, kind, status, _ in rng.sample(SF_CAMPAIGNS, 2):
            at = None
            if rng.random() < 0.6:
                at = START + timedelta(days=rng.uniform(0, SPAN_DAYS))
            else:
                status = SF_NOT_RESPONDED[kind]
            members.append((name, kind, status, at, "", contact_id, person))
    while invited > 0:
        lead = rng.choice(leads)
        name, kind, _, _ = rng.choice(SF_CAMPAIGNS)
        if (name, lead["id"]) in taken:
            continue
        taken.add((name, lead["id"]))
        members.append((name, kind, SF_NOT_RESPONDED[kind], None,
                        lead["id"], "", lead))
        invited -= 1
    return members


# ---------------------------------------------------- activity exports

def write_pardot(path, seed=56, prospects=40):
    rng = random.Random(seed)
    types = [(1, "Click"), (2, "View"), (4, "Success"), (6, "Email"),
             (11, "Email Tracker"), (17, "Form")]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["ID", "Prospect ID", "Visitor ID", "Type", "Type Name",
                "Details", "Campaign", "Created At"])
    activity = 7000100
    for p in range(prospects):
        prospect = 310400 + p * 3
        for _ in range(rng.randint(1, 6)):
            code, name = rng.choice(types)
            at = START + timedelta(days=rng.uniform(0, SPAN_DAYS),
                                   seconds=rng.randint(0, 86399))
            w.writerow([activity, prospect, 9900000 + p, code, name,
                        f"{name} on pricing page" if code == 2 else name,
                        rng.choice(["Website", "Spring Nurture"]),
                        at.strftime("%Y-%m-%d %H:%M:%S")])
            activity += 1
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())


def write_marketo(path, seed=78, leads=40):
    rng = random.Random(seed)
    types = [(1, "Visit Webpage", "pricing.html"),
             (2, "Fill Out Form", "Demo Request"),
             (10, "Open Email", "Nurture 3"),
             (11, "Click Email", "Nurture 3"),
             (104, "Change Status in Progression", "MQL")]
    out = io.StringIO()
    w = csv.writer(out, lineterminator="\n")
    w.writerow(["Marketo GUID", "Lead ID", "Activity Date",
                "Activity Type ID", "Activity Type",
                "Primary Attribute Value ID", "Primary Attribute Value",
                "Campaign ID"])
    for lead in range(leads):
        for _ in range(rng.randint(1, 6)):
            code, name, value = rng.choice(types)
            at = START + timedelta(days=rng.uniform(0, SPAN_DAYS),
                                   seconds=rng.randint(0, 86399))
            w.writerow([f"{rng.getrandbits(48):012x}", 1200 + lead * 11,
                        at.strftime("%Y-%m-%dT%H:%M:%SZ"), code, name,
                        rng.randint(1000, 1999), value,
                        rng.choice([5501, 5502, 5503])])
    with open(path, "w", encoding="utf-8", newline="") as f:
        f.write(out.getvalue())


def main():
    here = os.path.dirname(os.path.abspath(__file__))
    directory = (sys.argv[1] if len(sys.argv) > 1 else
                 os.path.join(here, "fixtures", "crm"))
    os.makedirs(directory, exist_ok=True)
    truth = {"hubspot": write_hubspot(
                 os.path.join(directory, "hubspot-contacts.csv")),
             "salesforce": write_salesforce(directory)}
    write_pardot(os.path.join(directory, "pardot-visitor-activities.csv"))
    write_marketo(os.path.join(directory, "marketo-activities.csv"))
    with open(os.path.join(directory, "truth.json"), "w") as f:
        json.dump(truth, f, indent=2, sort_keys=True)
        f.write("\n")


if __name__ == "__main__":
    main()
