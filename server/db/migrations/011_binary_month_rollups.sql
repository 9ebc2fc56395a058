-- Rollups in the compact binary form of server/domain/totals.ts (HQ's form too): a year of day rollups was
-- 12 MB of JSON to parse for each question. A month that has ended with every day of it rolled up gets
-- rollups of its own, merged from its days, so a year reads about twelve months and the days at its ends.
-- The day rows are kept: series by day and the breakdown by weekday read them.
-- The old rows are dropped: rollups are a cache of the ticket rows, rebuilt by the background catch-up at
-- boot (and by any statistics query) with the wait targets in force then. The staffing rollups stay.
DROP TABLE day_rollups;
CREATE TABLE day_rollups (
  day TEXT NOT NULL,
  dimension TEXT NOT NULL CHECK (dimension IN ('all', 'service', 'counter', 'hour', 'staff')),
  key TEXT NOT NULL,
  totals BLOB NOT NULL,
  PRIMARY KEY (day, dimension, key)
) STRICT;

CREATE TABLE month_rollups (
  month TEXT NOT NULL, -- YYYY-MM
  dimension TEXT NOT NULL CHECK (dimension IN ('all', 'service', 'counter', 'hour', 'staff')),
  key TEXT NOT NULL,
  totals BLOB NOT NULL,
  PRIMARY KEY (month, dimension, key)
) STRICT;

-- Service times per day, service and hour of issue (they were per day and service): the staffing advice
-- keeps the latest calls of each service and hour, so it now reads only the days each hour needs — a
-- quiet evening hour no longer drags in months of its service's busy hours. `times`: JSON [finished_at,
-- milliseconds, …] in finishing order; `n` of them. The staffing rollups are rebuilt like the others.
DELETE FROM staffing_days;
DROP TABLE staffing_service_times;
CREATE TABLE staffing_service_times (
  day TEXT NOT NULL,
  service_id TEXT NOT NULL,
  hour INTEGER NOT NULL,
  first_finished_at INTEGER NOT NULL,
  last_finished_at INTEGER NOT NULL,
  n INTEGER NOT NULL,
  times TEXT NOT NULL,
  PRIMARY KEY (day, service_id, hour)
) STRICT;
-- The advice walks each service and hour back from the latest finishing times, reading from this index
-- only, until it has the calls it keeps (server/db/staffing.ts latestTimes).
CREATE INDEX staffing_service_times_latest
  ON staffing_service_times(service_id, hour, first_finished_at, last_finished_at, n, day);

-- Per month rolled up above: the sums of its staffing days (server/domain/arrival-tally.ts), so a year
-- of advice reads twelve of them and the days at its ends. JSON: `days` [n per weekday], `arrivals`
-- [[weekday, hour, serviceId, n], …], `counters` [[weekday, hour, counters], …].
CREATE TABLE staffing_months (
  month TEXT PRIMARY KEY, -- YYYY-MM
  days TEXT NOT NULL,
  arrivals TEXT NOT NULL,
  counters TEXT NOT NULL
) STRICT;
