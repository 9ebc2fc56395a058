-- What the staffing advice (server/app/intelligence.ts) needs of each closed opening day, so a year of
-- advice reads a few thousand rows instead of every ticket. Rolled up with day_rollups, once no ticket
-- of the day is open; today is always read live. Like day_rollups, a cache of the ticket rows.

-- Per day: its weekday, tickets issued per hour and issued service (JSON [[hour, serviceId, n], …]), and
-- the counters that called someone per hour of issue (JSON [[hour, counters], …]).
CREATE TABLE staffing_days (
  day TEXT PRIMARY KEY,
  weekday INTEGER NOT NULL,
  arrivals TEXT NOT NULL,
  counters TEXT NOT NULL
) STRICT;

-- Per day and served service: the finished calls' counter time by hour of issue, in finishing order
-- (`times`: JSON [finished_at, hour, milliseconds, …]), with how many there are per hour (`hours`: JSON
-- [[hour, n], …]). The advice keeps only the latest calls of each service and hour; the counts and the
-- first and last finishing times let it skip, unread, the days that cannot hold any of them.
CREATE TABLE staffing_service_times (
  day TEXT NOT NULL,
  service_id TEXT NOT NULL,
  first_finished_at INTEGER NOT NULL,
  last_finished_at INTEGER NOT NULL,
  hours TEXT NOT NULL,
  times TEXT NOT NULL,
  PRIMARY KEY (day, service_id)
) STRICT;
