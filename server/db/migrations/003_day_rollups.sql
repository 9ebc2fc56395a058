-- The figures of each closed opening day, per group, so a year of statistics reads a few thousand rows
-- instead of every ticket. A day is rolled up once no ticket of it is open; today is always read live.
-- `totals` is JSON: counts and mergeable minute histograms (server/domain/stats.ts GroupTotals).
-- Within-target counts use the wait target in force when the day was rolled up.
CREATE TABLE day_rollups (
  day TEXT NOT NULL,
  dimension TEXT NOT NULL CHECK (dimension IN ('all', 'service', 'counter', 'hour')),
  key TEXT NOT NULL,
  totals TEXT NOT NULL,
  PRIMARY KEY (day, dimension, key)
) STRICT;
