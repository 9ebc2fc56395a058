-- The hall's link to HQ (server/app/hq-sender.ts), one row. The sender ships the event log from
-- `acked_through` on; HQ's answer moves it. A catalogue pulled from HQ waits here for the next opening
-- day (`pending_catalogue`, JSON, pulled on `pending_day`); `catalogue_version` is the one in force.
CREATE TABLE hq_link (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  acked_through INTEGER NOT NULL DEFAULT 0,
  acked_at INTEGER,
  catalogue_version INTEGER,
  pending_catalogue TEXT,
  pending_day TEXT
) STRICT;
INSERT INTO hq_link(id) VALUES (1);
