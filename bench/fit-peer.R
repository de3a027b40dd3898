# The work of `mql-fit contacts.csv events.csv --rules RULES` in R, for
# bench/fit.sh: data.table::fread, features as of mql_at, glm(binomial)
# with standard errors.  Usage: Rscript fit-peer.R contacts events rules
suppressMessages(library(data.table))
args <- commandArgs(trailingOnly = TRUE)
# The rule file is read with a tiny JSON reader: base R has none, and the
# rules only need ids, properties, ops, values, patterns and decays.
rules_text <- paste(readLines(args[3]), collapse = "")
obj <- function(kind) regmatches(rules_text, gregexpr(paste0("\\{[^{}]*\"", kind, "\"[^{}]*\\}"), rules_text))[[1]]
field <- function(o, key) {
  m <- regmatches(o, regexec(paste0("\"", key, "\"\\s*:\\s*(\"([^\"]*)\"|[-0-9.eE]+)"), o))[[1]]
  if (length(m) == 0) return(NA) else if (m[3] != "") m[3] else as.numeric(m[2])
}
values <- function(o) {
  m <- regmatches(o, regexec("\"values\"\\s*:\\s*\\[([^]]*)\\]", o))[[1]]
  gsub("^\\s*\"|\"\\s*$", "", strsplit(m[2], ",")[[1]])
}
tz <- "UTC"
ct <- fread(args[1], colClasses = "character", na.strings = NULL)
ct <- ct[mql_at != "" & (sal_at != "" | rejected_at != "")]
ct[, mql := as.numeric(as.POSIXct(mql_at, format = "%Y-%m-%dT%H:%M:%SZ", tz = tz))]
d <- data.table(y = as.numeric(ct$sal_at != ""))
for (o in obj("property")) {
  id <- field(o, "id"); raw <- trimws(ct[[field(o, "property")]]); op <- field(o, "op")
  num <- suppressWarnings(as.numeric(sub("[-+].*$", "", raw)))
  x <- switch(op,
    "in" = as.numeric(tolower(raw) %in% tolower(values(o))),
    "missing" = as.numeric(raw == ""),
    "matches" = as.numeric(raw != "" & grepl(field(o, "pattern"), raw, ignore.case = TRUE)),
    "range" = {
      lo <- field(o, "min"); hi <- field(o, "max")
      as.numeric(!is.na(num) & (is.na(lo) | num >= lo) & (is.na(hi) | num < hi))
    },
    ifelse(is.na(num), 0, num))
  d[, (id) := x]
}
ev <- fread(args[2], select = c("contact_id", "occurred_at", "event"))
ev <- ev[ct[, .(contact_id, mql)], on = "contact_id", nomatch = 0]
ev[, age := (mql - as.numeric(as.POSIXct(occurred_at, format = "%Y-%m-%dT%H:%M:%SZ", tz = tz))) / 86400]
ev <- ev[age >= 0]
for (o in obj("event")) {
  id <- field(o, "id"); e <- ev[event == field(o, "event")]
  h <- field(o, "half_life_days"); l <- field(o, "lifespan_days"); w <- field(o, "window_days")
  e[, wt := if (!is.na(h)) 0.5^(age / h) else if (!is.na(l)) pmax(0, 1 - age / l)
            else if (!is.na(w)) as.numeric(age < w) else 1]
  s <- e[, .(D = sum(wt)), by = contact_id][ct[, .(contact_id)], on = "contact_id"]
  cap <- field(o, "max_count")
  D <- ifelse(is.na(s$D), 0, s$D)
  d[, (id) := if (is.na(cap)) D else pmin(cap, D)]
}
m <- glm(y ~ ., family = binomial, data = d)
cat("rows", nrow(d), "positives", sum(d$y), "\n")
print(summary(m)$coefficients[, 1:2])
