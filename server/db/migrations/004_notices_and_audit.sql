-- Notices for the wall display, in the order they are shown. The whole list is replaced at once.
-- image_url is a same-origin path or a data: URL (checked by the API before it is stored).
CREATE TABLE notices (
  position INTEGER PRIMARY KEY,
  id TEXT NOT NULL UNIQUE,
  text_zh TEXT NOT NULL,
  text_en TEXT NOT NULL,
  image_url TEXT
) STRICT;

-- Who changed what and when: every configuration change and manual action, before → after as JSON
-- (null where there was nothing before or is nothing after). Append-only.
CREATE TABLE audit_log (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  user_id TEXT REFERENCES users(id),
  action TEXT NOT NULL,
  target TEXT NOT NULL,
  before TEXT,
  after TEXT
) STRICT;
CREATE INDEX audit_log_at ON audit_log(at);

-- Day rollups gain a `staff` dimension and rating sums in `totals` (server/domain/stats.ts). The old rows
-- lack both, so they are dropped: rollups are a cache of the ticket rows, rebuilt by the background
-- catch-up at boot (and by any statistics query) with the wait targets in force then.
DROP TABLE day_rollups;
CREATE TABLE day_rollups (
  day TEXT NOT NULL,
  dimension TEXT NOT NULL CHECK (dimension IN ('all', 'service', 'counter', 'hour', 'staff')),
  key TEXT NOT NULL,
  totals TEXT NOT NULL,
  PRIMARY KEY (day, dimension, key)
) STRICT;
