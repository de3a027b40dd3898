# Independent check of mql-report's waits on a generated history, with R's
# survival package: per channel and for all leads, the Kaplan-Meier median
# and p90 of days to MQL (censored at the latest date in the file), and the
# median days from MQL to acceptance from the Aalen-Johansen cumulative
# incidence (survfit's multi-state form), rejection a competing event; and
# beside each, the plain median of the days among the MQLs that reached
# the stage, with how many did.
# Usage: Rscript report_survfit.R contacts.csv report.csv
suppressMessages(library(survival))
args <- commandArgs(trailingOnly = TRUE)
contacts <- read.csv(args[1], stringsAsFactors = FALSE, na.strings = "")
report <- read.csv(args[2], stringsAsFactors = FALSE, na.strings = "")
t <- function(x) as.numeric(as.POSIXct(x, format = "%Y-%m-%dT%H:%M:%SZ",
                                       tz = "UTC"))
stages <- c("created_at", "mql_at", "sal_at", "sql_at", "opportunity_at",
            "customer_at", "rejected_at")
times <- sapply(stages, function(s) t(contacts[[s]]))
as_of <- max(times, na.rm = TRUE)
day <- 86400
contacts$channel[is.na(contacts$channel)] <- "(none)"

# First time a curve reaches level (S <= level, or CIF >= level), NA if never.
first_at <- function(time, value, level, falling) {
  hit <- if (falling) value <= level + 1e-12 else value >= level - 1e-12
  if (any(hit)) time[which(hit)[1]] else NA
}

fails <- 0
compared <- 0
check <- function(what, got, expected) {
  if (!is.na(expected)) compared <<- compared + 1
  ok <- (is.na(got) && is.na(expected)) ||
        (!is.na(got) && !is.na(expected) && abs(got - expected) < 1e-6)
  if (!ok) {
    cat(sprintf("FAIL %s: report %s, R %s\n", what, got, expected))
    fails <<- fails + 1
  }
}

# The median wait of the MQLs that reached stage, and their number.
reached_median <- function(g, got, stage, reached, seconds) {
  check(paste(g, "mql_to", stage, "reached"),
        got[[paste0("mql_to_", stage, "_reached")]], sum(reached))
  check(paste(g, "days_mql_to", stage, "median_reached"),
        got[[paste0("days_mql_to_", stage, "_median_reached")]],
        if (any(reached)) median(seconds[reached] / day) else NA)
}

for (g in c(unique(contacts$channel), "all")) {
  rows <- if (g == "all") rep(TRUE, nrow(contacts)) else contacts$channel == g
  tm <- times[rows, , drop = FALSE]
  got <- report[report$channel == g, ]
  # Days to MQL: censored at as_of while not MQL.
  created <- tm[, "created_at"]
  mql <- tm[, "mql_at"]
  keep <- !is.na(created)
  event <- !is.na(mql[keep])
  end <- ifelse(event, mql[keep], as_of)
  ok <- end >= created[keep]
  fit <- survfit(Surv((end - created[keep])[ok] / day, event[ok]) ~ 1)
  check(paste(g, "days_to_mql_median"), got$days_to_mql_median,
        first_at(fit$time, fit$surv, 0.5, TRUE))
  check(paste(g, "days_to_mql_p90"), got$days_to_mql_p90,
        first_at(fit$time, fit$surv, 0.1, TRUE))
  # MQL to SAL: accepted, rejected (competing) or open (censored at as_of);
  # Aalen-Johansen by survfit's multi-state form.
  m <- !is.na(tm[, "mql_at"])
  sal <- tm[m, "sal_at"]
  rej <- tm[m, "rejected_at"]
  start <- tm[m, "mql_at"]
  state <- ifelse(!is.na(sal), "accepted",
                  ifelse(!is.na(rej), "rejected", "censor"))
  end <- ifelse(!is.na(sal), sal, ifelse(!is.na(rej), rej, as_of))
  ok <- end >= start
  status <- factor(state[ok], levels = c("censor", "accepted", "rejected"))
  aj <- survfit(Surv((end - start)[ok] / day, status) ~ 1)
  cif <- aj$pstate[, which(aj$states == "accepted")]
  check(paste(g, "days_mql_to_sal_median"), got$days_mql_to_sal_median,
        first_at(aj$time, cif, 0.5, FALSE))
  reached_median(g, got, "sal", state[ok] == "accepted", (end - start)[ok])
  # MQL to SQL the same way: a rejected MQL that never became SQL is a
  # competing event at its rejection.
  sql <- tm[m, "sql_at"]
  state <- ifelse(!is.na(sql), "sql", ifelse(!is.na(rej), "rejected", "censor"))
  end <- ifelse(!is.na(sql), sql, ifelse(!is.na(rej), rej, as_of))
  ok <- end >= start
  status <- factor(state[ok], levels = c("censor", "sql", "rejected"))
  aj <- survfit(Surv((end - start)[ok] / day, status) ~ 1)
  cif <- aj$pstate[, which(aj$states == "sql")]
  check(paste(g, "days_mql_to_sql_median"), got$days_mql_to_sql_median,
        first_at(aj$time, cif, 0.5, FALSE))
  reached_median(g, got, "sql", state[ok] == "sql", (end - start)[ok])
}
# Most waits must be reached, or agreeing on "not reached" proves little.
if (compared < 10) {
  cat(sprintf("FAIL only %d waits were reached\n", compared))
  fails <- fails + 1
}
if (fails > 0) quit(status = 1)
cat(sprintf("%d waits agree with survfit\n", compared))
