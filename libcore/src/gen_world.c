/*
 * gen_world.c - the world the synthetic history is drawn from: channels,
 * campaigns, event types, audiences, job titles, and the two rule sets (the
 * old hand-tuned rules that made the MQLs, and the true acceptance model).
 * Numbers here are the generation parameters that truth.json reports.
 */
#include "gen_internal.h"

#include <math.h>

/* Channel: intent mean, cost per lead, audience, event-rate multipliers. */
const gen_channel_info mql_gen_channels[CH_COUNT] = {
	[CH_ORGANIC_SEARCH] = {"organic_search", 0.1, 12, AUD_GENERAL, {0}},
	[CH_PAID_SEARCH] = {"paid_search", 0.2, 90, AUD_GENERAL, {0}},
	[CH_PAID_SOCIAL] = {"paid_social", -0.2, 70, AUD_GENERAL, {0}},
	[CH_EVENTS] =
		{"events", 0.3, 180, AUD_SENIOR, {[EV_EVENT_ATTENDED] = 4}},
	[CH_WEBINAR] =
		{"webinar",
		 0.2,
		 60,
		 AUD_GENERAL,
		 {[EV_WEBINAR_REGISTERED] = 4, [EV_WEBINAR_ATTENDED] = 4}},
	[CH_REFERRAL] = {"referral", 0.6, 40, AUD_SENIOR, {0}},
	[CH_PARTNER] = {"partner", 0.4, 50, AUD_SENIOR, {0}},
	/* Bought leads: many downloads, little intent, a junior audience. */
	[CH_CONTENT_SYNDICATION] = {"content_syndication",
				    -0.6,
				    45,
				    AUD_JUNIOR,
				    {[EV_CONTENT_DOWNLOAD] = 4}},
	[CH_EMAIL] = {"email",
		      0.0,
		      8,
		      AUD_GENERAL,
		      {[EV_EMAIL_OPEN] = 1.3, [EV_EMAIL_CLICK] = 1.3}},
	[CH_DIRECT] = {"direct", 0.4, 0, AUD_GENERAL, {0}},
};

/*
 * Event types: mean count per contact, intent slope, burst, email, touch.
 * Buying signals (pricing, chat, demo, trial) react strongly to intent and
 * come in a burst; background engagement (opens, visits) barely does.
 */
const gen_event_info mql_gen_events[EV_COUNT] = {
	[EV_EMAIL_OPEN] = {"email_open", 28, 0.3, 0, 1, TOUCH_EMAIL, 1.0},
	[EV_EMAIL_CLICK] = {"email_click", 3.5, 0.6, 0, 1, TOUCH_EMAIL, 1.0},
	[EV_WEB_VISIT] = {"web_visit", 14, 0.5, 0, 0, TOUCH_PAID, 0.3},
	[EV_CONTENT_DOWNLOAD] = {"content_download", 2.0, 0.2, 0, 0,
				 TOUCH_CONTENT, 0.6},
	[EV_CASE_STUDY_VIEW] = {"case_study_view", 0.8, 0.7, 0, 0, TOUCH_NONE,
				0},
	[EV_WEBINAR_REGISTERED] = {"webinar_registered", 0.6, 0.5, 0, 0,
				   TOUCH_WEBINAR, 1.0},
	[EV_WEBINAR_ATTENDED] = {"webinar_attended", 0.3, 0.7, 0, 0,
				 TOUCH_WEBINAR, 1.0},
	[EV_EVENT_ATTENDED] = {"event_attended", 0.15, 0.6, 0, 0, TOUCH_EVENTS,
			       1.0},
	[EV_PRICING_PAGE_VIEW] = {"pricing_page_view", 1.2, 1.2, 1, 0,
				  TOUCH_NONE, 0},
	[EV_CHAT_STARTED] = {"chat_started", 0.3, 1.0, 1, 0, TOUCH_NONE, 0},
	[EV_DEMO_REQUEST] = {"demo_request", 0.12, 1.5, 1, 0, TOUCH_ORIGIN,
			     0.3},
	[EV_TRIAL_SIGNUP] = {"trial_signup", 0.08, 1.3, 1, 0, TOUCH_NONE, 0},
	[EV_UNSUBSCRIBE] = {"unsubscribe", 0.1, -0.8, 0, 0, TOUCH_EMAIL, 1.0},
};

/* Campaigns: id, channel, daily weight, active from, active to, flags. */
const gen_campaign_info mql_gen_campaigns[] = {
	{"org_blog", CH_ORGANIC_SEARCH, 10, 0, 0, 0, 0, 0, 0, 0},
	{"org_seo_guides", CH_ORGANIC_SEARCH, 8, 0, 0, 0, 0, 0, 0, 0},
	{"org_comparison_pages", CH_ORGANIC_SEARCH, 4, 2025, 6, 1, 0, 0, 0, 0},
	{"ps_brand", CH_PAID_SEARCH, 8, 0, 0, 0, 0, 0, 0, 0},
	{"ps_generic", CH_PAID_SEARCH, 6, 0, 0, 0, 0, 0, 0, 0},
	{"ps_competitor", CH_PAID_SEARCH, 4, 0, 0, 0, 0, 0, 0, 0},
	{"ps_retargeting", CH_PAID_SEARCH, 3, 0, 0, 0, 0, 0, 0, 0},
	{"ps_competitor_test", CH_PAID_SEARCH, 0, 2025, 2, 1, 2025, 4, 30,
	 CAMPAIGN_NO_LEADS},
	{"soc_linkedin_abm", CH_PAID_SOCIAL, 5, 2025, 4, 1, 0, 0, 0, 0},
	{"soc_linkedin_lead_gen", CH_PAID_SOCIAL, 6, 0, 0, 0, 0, 0, 0, 0},
	{"soc_facebook_retarget", CH_PAID_SOCIAL, 3, 0, 0, 0, 0, 0, 0, 0},
	{"soc_x_awareness", CH_PAID_SOCIAL, 2, 0, 0, 0, 2025, 9, 30, 0},
	{"ev_saas_summit_2025", CH_EVENTS, 40, 2025, 3, 10, 2025, 4, 10, 0},
	{"ev_roadshow_emea", CH_EVENTS, 15, 2025, 5, 1, 2025, 6, 30, 0},
	{"ev_martech_expo_2025", CH_EVENTS, 40, 2025, 9, 15, 2025, 10, 15, 0},
	{"ev_saas_summit_2026", CH_EVENTS, 40, 2026, 3, 9, 2026, 4, 9, 0},
	{"ev_field_dinners", CH_EVENTS, 2, 0, 0, 0, 0, 0, 0, 0},
	{"ev_cxo_dinner_2026", CH_EVENTS, 0, 2026, 3, 1, 2026, 6, 30,
	 CAMPAIGN_SMALL},
	{"web_product_tour", CH_WEBINAR, 4, 0, 0, 0, 0, 0, 0, 0},
	{"web_roi_masterclass", CH_WEBINAR, 2, 0, 0, 0, 0, 0, 0, 0},
	{"web_customer_panel", CH_WEBINAR, 2, 2025, 1, 1, 0, 0, 0, 0},
	{"web_analyst_briefing", CH_WEBINAR, 1.5, 2025, 9, 1, 0, 0, 0, 0},
	{"ref_customer_program", CH_REFERRAL, 4, 0, 0, 0, 0, 0, 0, 0},
	{"ref_review_sites", CH_REFERRAL, 2, 0, 0, 0, 0, 0, 0, 0},
	{"ptn_agency_network", CH_PARTNER, 2.5, 0, 0, 0, 0, 0, 0, 0},
	{"ptn_reseller_emea", CH_PARTNER, 2, 0, 0, 0, 0, 0, 0, 0},
	{"ptn_tech_alliance", CH_PARTNER, 1.5, 2025, 7, 1, 0, 0, 0, 0},
	{"cs_techtarget", CH_CONTENT_SYNDICATION, 7, 0, 0, 0, 0, 0, 0, 0},
	{"cs_netline", CH_CONTENT_SYNDICATION, 6, 0, 0, 0, 0, 0, 0, 0},
	{"cs_integrate_ebooks", CH_CONTENT_SYNDICATION, 5, 2025, 3, 1, 0, 0, 0,
	 0},
	{"cs_industry_report_2025", CH_CONTENT_SYNDICATION, 4, 2025, 5, 1, 2025,
	 12, 31, 0},
	{"em_newsletter", CH_EMAIL, 3, 0, 0, 0, 0, 0, 0, 0},
	{"em_nurture", CH_EMAIL, 1, 0, 0, 0, 0, 0, 0, 0},
	{"dir_website", CH_DIRECT, 5, 0, 0, 0, 0, 0, 0, 0},
};
const size_t mql_gen_campaign_count =
	sizeof mql_gen_campaigns / sizeof mql_gen_campaigns[0];

const char *const mql_gen_seniorities[SENIORITY_COUNT] = {
	"C-level", "VP",     "Director", "Manager", "Individual Contributor",
	"Intern",  "Student"};

const char *const mql_gen_industries[INDUSTRY_COUNT] = {"Software",
							"Financial Services",
							"Healthcare",
							"Manufacturing",
							"Retail",
							"Education",
							"Government",
							"Media",
							"Professional Services",
							"Telecommunications",
							"Non-profit"};

const char *const mql_gen_countries[COUNTRY_COUNT] = {
	"United States", "United Kingdom", "Germany", "Canada", "France",
	"Australia",	 "Netherlands",	   "India",   "Brazil", "Sweden"};

const double mql_gen_country_weights[COUNTRY_COUNT] = {
	0.42, 0.12, 0.10, 0.07, 0.06, 0.05, 0.05, 0.07, 0.03, 0.03};

static const char *const titles_c_level[] = {
	"CEO", "Chief Marketing Officer", "Chief Revenue Officer",
	"CFO", "Founder & CEO",		  "Chief Operating Officer",
	NULL};
static const char *const titles_vp[] = {"VP Marketing",
					"Vice President of Sales",
					"VP, Demand Generation",
					"VP Revenue Operations",
					"SVP Growth Marketing",
					"Vice President, Customer Success",
					NULL};
static const char *const titles_director[] = {"Director of Marketing",
					      "Sr. Director, Sales Operations",
					      "Marketing Director",
					      "Director, Demand Generation",
					      "Head of Growth",
					      "IT Director",
					      NULL};
static const char *const titles_manager[] = {"Marketing Manager",
					     "Sales Operations Manager",
					     "Demand Generation Manager",
					     "Marketing Operations Manager",
					     "Product Marketing Manager",
					     "Account Manager",
					     "Office Manager",
					     NULL};
static const char *const titles_ic[] = {
	"Marketing Specialist",	 "Sales Development Representative",
	"Business Analyst",	 "Content Writer",
	"Software Engineer",	 "Account Executive",
	"Marketing Coordinator", NULL};
static const char *const titles_intern[] = {"Marketing Intern", "Sales Intern",
					    "Summer Intern - Growth", NULL};
static const char *const titles_student[] = {
	"Student", "MBA Candidate", "Graduate Student, Marketing", NULL};

const char *const *const mql_gen_titles[SENIORITY_COUNT] = {
	titles_c_level, titles_vp,     titles_director, titles_manager,
	titles_ic,	titles_intern, titles_student};

/* Seniority and industry weights, mean log company size, free mail. */
const gen_audience_info mql_gen_audiences[AUD_COUNT] = {
	[AUD_GENERAL] = {{0.04, 0.08, 0.16, 0.27, 0.33, 0.07, 0.05},
			 {0.22, 0.12, 0.10, 0.11, 0.08, 0.07, 0.04, 0.06, 0.12,
			  0.05, 0.03},
			 5.01 /* ln 150 */,
			 0.15},
	[AUD_JUNIOR] = {{0.01, 0.03, 0.07, 0.20, 0.38, 0.16, 0.15},
			{0.12, 0.06, 0.08, 0.08, 0.08, 0.22, 0.10, 0.07, 0.08,
			 0.03, 0.08},
			3.56 /* ln 35 */,
			0.55},
	[AUD_SENIOR] = {{0.10, 0.17, 0.25, 0.27, 0.18, 0.02, 0.01},
			{0.28, 0.16, 0.10, 0.12, 0.07, 0.03, 0.03, 0.05, 0.10,
			 0.05, 0.01},
			6.11 /* ln 450 */,
			0.05},
};

#define FIT_IN(id_, prop_, pts_, ...)                                          \
	{                                                                      \
		.id = id_, .property = prop_, .op = OP_IN, .points = pts_,     \
		.values = {__VA_ARGS__, NULL}, .min = NAN, .max = NAN          \
	}
#define FIT_RANGE(id_, lo_, hi_, pts_)                                         \
	{                                                                      \
		.id = id_, .property = PROP_COMPANY_SIZE, .op = OP_RANGE,      \
		.points = pts_, .min = lo_, .max = hi_                         \
	}
#define FIT_MATCHES(id_, prop_, pattern_, pts_)                                \
	{                                                                      \
		.id = id_, .property = prop_, .op = OP_MATCHES,                \
		.pattern = pattern_, .points = pts_, .min = NAN, .max = NAN    \
	}
#define ENGAGE(id_, event_, pts_, decay_, days_, cap_)                         \
	{                                                                      \
		.id = id_, .engagement = 1, .event = event_, .points = pts_,   \
		.decay = decay_, .decay_days = days_, .max_count = cap_,       \
		.min = NAN, .max = NAN                                         \
	}

/*
 * The old rule file: hand-tuned points with the usual faults.  Downloads are
 * worth far too much (bought leads cross on them), Education gets points
 * that truth takes away, nothing decays except webinars, a US bonus that
 * means nothing, and free mail addresses go unnoticed.
 */
static const gen_rule old_rules[] = {
	FIT_IN("seniority_vp", PROP_SENIORITY, 20, "VP", "C-level"),
	FIT_MATCHES("title_director", PROP_JOB_TITLE, "director", 10),
	FIT_RANGE("size_1000", 1000, NAN, 15),
	FIT_IN("industry_education", PROP_INDUSTRY, 10, "Education"),
	FIT_IN("country_us", PROP_COUNTRY, 5, "United States"),
	ENGAGE("demo", EV_DEMO_REQUEST, 30, DECAY_NONE, 0, 1),
	ENGAGE("pricing", EV_PRICING_PAGE_VIEW, 10, DECAY_NONE, 0, 3),
	ENGAGE("download", EV_CONTENT_DOWNLOAD, 12, DECAY_NONE, 0, 4),
	ENGAGE("webinar", EV_WEBINAR_ATTENDED, 15, DECAY_WINDOW, 90, 2),
	ENGAGE("click", EV_EMAIL_CLICK, 3, DECAY_NONE, 0, 5),
	ENGAGE("open", EV_EMAIL_OPEN, 1, DECAY_NONE, 0, 10),
	ENGAGE("visit", EV_WEB_VISIT, 1, DECAY_NONE, 0, 10),
	ENGAGE("unsub", EV_UNSUBSCRIBE, -20, DECAY_NONE, 0, 0),
};

const gen_rule_set mql_gen_old_rules = {"hand-tuned rules (2024)", 90, 0,
					old_rules,
					sizeof old_rules / sizeof old_rules[0]};

/* The true acceptance model: points are log-odds coefficients. */
static const gen_rule true_rules[] = {
	FIT_IN("seniority_exec", PROP_SENIORITY, 0.9, "C-level", "VP"),
	FIT_IN("seniority_director", PROP_SENIORITY, 0.5, "Director"),
	FIT_IN("seniority_junior", PROP_SENIORITY, -1.4, "Intern", "Student"),
	{.id = "seniority_missing",
	 .property = PROP_SENIORITY,
	 .op = OP_MISSING,
	 .points = -0.3,
	 .min = NAN,
	 .max = NAN},
	FIT_MATCHES("title_marketing", PROP_JOB_TITLE,
		    "marketing|demand gen|growth", 0.3),
	FIT_RANGE("size_small", NAN, 20, -0.7),
	FIT_RANGE("size_mid", 200, 1000, 0.5),
	FIT_RANGE("size_large", 1000, NAN, 0.9),
	FIT_IN("industry_core", PROP_INDUSTRY, 0.4, "Software",
	       "Financial Services", "Telecommunications"),
	FIT_IN("industry_public", PROP_INDUSTRY, -0.8, "Education",
	       "Government", "Non-profit"),
	FIT_IN("email_personal", PROP_EMAIL_TYPE, -1.4, "personal"),
	ENGAGE("demo_request", EV_DEMO_REQUEST, 1.4, DECAY_HALF_LIFE, 30, 2),
	ENGAGE("trial_signup", EV_TRIAL_SIGNUP, 0.9, DECAY_HALF_LIFE, 30, 1),
	ENGAGE("pricing_page_view", EV_PRICING_PAGE_VIEW, 0.35, DECAY_HALF_LIFE,
	       14, 5),
	ENGAGE("chat_started", EV_CHAT_STARTED, 0.4, DECAY_HALF_LIFE, 14, 2),
	ENGAGE("webinar_attended", EV_WEBINAR_ATTENDED, 0.3, DECAY_HALF_LIFE,
	       60, 3),
	ENGAGE("webinar_registered", EV_WEBINAR_REGISTERED, 0.1,
	       DECAY_HALF_LIFE, 30, 3),
	ENGAGE("event_attended", EV_EVENT_ATTENDED, 0.4, DECAY_HALF_LIFE, 90,
	       2),
	ENGAGE("case_study_view", EV_CASE_STUDY_VIEW, 0.15, DECAY_HALF_LIFE, 30,
	       5),
	ENGAGE("email_click", EV_EMAIL_CLICK, 0.2, DECAY_HALF_LIFE, 30, 10),
	ENGAGE("content_download", EV_CONTENT_DOWNLOAD, 0.05, DECAY_HALF_LIFE,
	       60, 5),
	ENGAGE("web_visit", EV_WEB_VISIT, 0.08, DECAY_HALF_LIFE, 14, 20),
	ENGAGE("email_open", EV_EMAIL_OPEN, 0.05, DECAY_HALF_LIFE, 7, 20),
	ENGAGE("unsubscribe", EV_UNSUBSCRIBE, -1.2, DECAY_NONE, 0, 1),
};

const gen_rule_set mql_gen_true_rules = {
	"true acceptance model", 0, -2.3, true_rules,
	sizeof true_rules / sizeof true_rules[0]};

/* Campaign date bounds as days of the history (inclusive). */
static void campaign_days(size_t campaign, int *first, int *last)
{
	const gen_campaign_info *c = &mql_gen_campaigns[campaign];
	int64_t origin =
		mql_time_days_from_civil(GEN_START_YEAR, GEN_START_MONTH, 1);
	*first = c->from_y ? (int)(mql_time_days_from_civil(
					   c->from_y, c->from_m, c->from_d) -
				   origin)
			   : 0;
	*last = c->to_y ? (int)(mql_time_days_from_civil(c->to_y, c->to_m,
							 c->to_d) -
				origin)
			: GEN_DAYS - 1;
}

int mql_gen_campaign_active(size_t campaign, int day)
{
	int first, last;
	campaign_days(campaign, &first, &last);
	return day >= first && day <= last;
}

double mql_gen_campaign_weight(size_t campaign, int day, int drifted)
{
	const gen_campaign_info *c = &mql_gen_campaigns[campaign];
	if (!mql_gen_campaign_active(campaign, day))
		return 0;
	if (!drifted)
		return c->weight;
	/* The shifted last quarter: far more bought and social leads. */
	if (c->channel == CH_CONTENT_SYNDICATION)
		return GEN_DRIFT_SYNDICATION_WEIGHT * c->weight;
	if (c->channel == CH_PAID_SOCIAL)
		return GEN_DRIFT_SOCIAL_WEIGHT * c->weight;
	return c->weight;
}
