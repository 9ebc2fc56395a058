-- HQ: regions, halls and what they shipped, the rollups dashboards read, accounts, catalogues.

CREATE TABLE hq_regions (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{1,40}$'),
  name text NOT NULL
);

-- A hall and the state of its link. Its token is kept as its SHA-256 only. `hall_key` is the compact
-- key of its rows in the big tables.
CREATE TABLE hq_halls (
  id text PRIMARY KEY CHECK (id ~ '^[a-z0-9-]{1,40}$'),
  hall_key integer GENERATED ALWAYS AS IDENTITY UNIQUE,
  name text NOT NULL,
  region text NOT NULL REFERENCES hq_regions(id),
  token_hash text NOT NULL UNIQUE,
  created_at timestamptz NOT NULL DEFAULT now(),
  -- Every event up to here is held (in hq_events or hq_quarantine); `max_seq` is the newest held.
  acked_through bigint NOT NULL DEFAULT 0,
  max_seq bigint NOT NULL DEFAULT 0,
  -- The last batch or heartbeat: when it arrived (HQ's clock), its sentAt (the hall's clock) and the
  -- hall's UTC offset read from it.
  last_seen_at timestamptz,
  sent_at timestamptz,
  utc_offset_minutes integer,
  -- HQ's picture of the hall is complete up to this instant (HQ's clock): the lag is now − this.
  current_as_of timestamptz,
  app_version text,
  schema_version integer,
  -- The catalogue version the hall runs, as it reports when it pulls.
  catalogue_version integer,
  catalogue_pulled_at timestamptz
);
CREATE INDEX hq_halls_region ON hq_halls(region);

-- The halls' event logs, each (hall, seq) once, partitioned by the hall's business day (a ticket's
-- events belong to its opening day). Daily partitions are made as days arrive (hq/server/ingest.ts).
-- `at` is the hall's clock; `received_at` HQ's.
CREATE TABLE hq_events (
  hall_key integer NOT NULL,
  day date NOT NULL,
  seq bigint NOT NULL,
  at timestamptz NOT NULL,
  received_at timestamptz NOT NULL,
  type text NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (hall_key, day, seq)
) PARTITION BY RANGE (day);

-- Events HQ does not understand (a schema version or type it does not know, data it cannot read, a day
-- far from now): kept raw, never dropped, shown to HQ admins. They count as held for `acked_through`.
CREATE TABLE hq_quarantine (
  hall_key integer NOT NULL,
  seq bigint NOT NULL,
  at text NOT NULL,
  received_at timestamptz NOT NULL,
  type text NOT NULL,
  schema_version integer NOT NULL,
  app_version text NOT NULL,
  reason text NOT NULL,
  data jsonb NOT NULL,
  PRIMARY KEY (hall_key, seq)
);

-- Rollups, rebuilt for the (hall, day) pairs a batch touched from the events of that day. `totals` is a
-- group's GroupTotals (server/domain/stats.ts: counts, minute histograms, ratings), encoded compactly by
-- hq/domain/totals.ts. Per hall × day × service × hour:
CREATE TABLE hq_cells (
  hall_key integer NOT NULL,
  day date NOT NULL,
  service_id text NOT NULL,
  hour smallint NOT NULL,
  totals bytea NOT NULL,
  PRIMARY KEY (hall_key, day, service_id, hour)
);
-- per hall × day × counter (the one-hall summary's byCounter):
CREATE TABLE hq_counter_days (
  hall_key integer NOT NULL,
  day date NOT NULL,
  counter_id text NOT NULL,
  totals bytea NOT NULL,
  PRIMARY KEY (hall_key, day, counter_id)
);
-- and per hall × day, the whole day (what the rankings and trends read), with the newest event of the
-- day HQ holds: the day is final once the hall has moved past it and every seq up to that one is held.
CREATE TABLE hq_hall_days (
  hall_key integer NOT NULL,
  day date NOT NULL,
  totals bytea NOT NULL,
  max_seq bigint NOT NULL,
  open_tickets integer NOT NULL,
  PRIMARY KEY (hall_key, day)
);
CREATE INDEX hq_hall_days_day ON hq_hall_days(day, hall_key);
-- and per hall × day, the running sum of all its days up to that one (the same form, kept exactly: every
-- figure is an integer): any range of days is the difference of two rows, so a month of two thousand
-- halls reads four thousand rows, not sixty thousand. A row exists for each hall day.
CREATE TABLE hq_hall_cumulatives (
  hall_key integer NOT NULL,
  day date NOT NULL,
  totals bytea NOT NULL,
  PRIMARY KEY (hall_key, day)
);

-- The service catalogue and wait targets of a region, one row per published version.
CREATE TABLE hq_catalogues (
  region text NOT NULL REFERENCES hq_regions(id),
  version integer NOT NULL,
  services jsonb NOT NULL,
  published_at timestamptz NOT NULL,
  published_by text NOT NULL,
  PRIMARY KEY (region, version)
);

CREATE TABLE hq_users (
  username text PRIMARY KEY CHECK (username ~ '^[a-z0-9._-]{2,32}$'),
  name text NOT NULL,
  role text NOT NULL CHECK (role IN ('hq', 'region')),
  region text REFERENCES hq_regions(id),
  password_hash text NOT NULL,
  created_at timestamptz NOT NULL DEFAULT now(),
  CHECK ((role = 'region') = (region IS NOT NULL))
);

-- A session is a random token whose SHA-256 alone is kept.
CREATE TABLE hq_sessions (
  token_hash text PRIMARY KEY,
  username text NOT NULL REFERENCES hq_users(username) ON DELETE CASCADE,
  expires_at timestamptz NOT NULL
);

-- Region scoping, enforced by PostgreSQL itself: every transaction says whose it is with
-- `SET LOCAL hallq.scope` — '*' (HQ and the ingest) or 'region:<id>' — and sees only those halls' rows.
-- Unset, it sees nothing. FORCE: the policies bind the table owner (HQ's role) too; HQ refuses to run as
-- a superuser, which would bypass them.
CREATE FUNCTION hq_scope_region() RETURNS text LANGUAGE sql STABLE AS
  $$ SELECT CASE WHEN current_setting('hallq.scope', true) LIKE 'region:%'
                 THEN substr(current_setting('hallq.scope', true), 8) END $$;

ALTER TABLE hq_regions ENABLE ROW LEVEL SECURITY;
ALTER TABLE hq_regions FORCE ROW LEVEL SECURITY;
CREATE POLICY scoped ON hq_regions
  USING (current_setting('hallq.scope', true) = '*' OR id = hq_scope_region());

ALTER TABLE hq_halls ENABLE ROW LEVEL SECURITY;
ALTER TABLE hq_halls FORCE ROW LEVEL SECURITY;
CREATE POLICY scoped ON hq_halls
  USING (current_setting('hallq.scope', true) = '*' OR region = hq_scope_region());

ALTER TABLE hq_catalogues ENABLE ROW LEVEL SECURITY;
ALTER TABLE hq_catalogues FORCE ROW LEVEL SECURITY;
CREATE POLICY scoped ON hq_catalogues
  USING (current_setting('hallq.scope', true) = '*' OR region = hq_scope_region());

ALTER TABLE hq_cells ENABLE ROW LEVEL SECURITY;
ALTER TABLE hq_cells FORCE ROW LEVEL SECURITY;
CREATE POLICY scoped ON hq_cells
  USING (current_setting('hallq.scope', true) = '*'
         OR hall_key IN (SELECT hall_key FROM hq_halls WHERE region = hq_scope_region()));

ALTER TABLE hq_counter_days ENABLE ROW LEVEL SECURITY;
ALTER TABLE hq_counter_days FORCE ROW LEVEL SECURITY;
CREATE POLICY scoped ON hq_counter_days
  USING (current_setting('hallq.scope', true) = '*'
         OR hall_key IN (SELECT hall_key FROM hq_halls WHERE region = hq_scope_region()));

ALTER TABLE hq_hall_cumulatives ENABLE ROW LEVEL SECURITY;
ALTER TABLE hq_hall_cumulatives FORCE ROW LEVEL SECURITY;
CREATE POLICY scoped ON hq_hall_cumulatives
  USING (current_setting('hallq.scope', true) = '*'
         OR hall_key IN (SELECT hall_key FROM hq_halls WHERE region = hq_scope_region()));

ALTER TABLE hq_hall_days ENABLE ROW LEVEL SECURITY;
ALTER TABLE hq_hall_days FORCE ROW LEVEL SECURITY;
CREATE POLICY scoped ON hq_hall_days
  USING (current_setting('hallq.scope', true) = '*'
         OR hall_key IN (SELECT hall_key FROM hq_halls WHERE region = hq_scope_region()));

-- Raw events and quarantine are HQ's alone: region managers read rollups only.
ALTER TABLE hq_events ENABLE ROW LEVEL SECURITY;
ALTER TABLE hq_events FORCE ROW LEVEL SECURITY;
CREATE POLICY scoped ON hq_events USING (current_setting('hallq.scope', true) = '*');
ALTER TABLE hq_quarantine ENABLE ROW LEVEL SECURITY;
ALTER TABLE hq_quarantine FORCE ROW LEVEL SECURITY;
CREATE POLICY scoped ON hq_quarantine USING (current_setting('hallq.scope', true) = '*');
