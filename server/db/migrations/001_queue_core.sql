-- Services and counters mirror the hall configuration (synchronised at boot) so tickets can refer to them.
CREATE TABLE services (
  id TEXT PRIMARY KEY,
  prefix TEXT NOT NULL UNIQUE,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  wait_target_minutes INTEGER NOT NULL,
  enabled INTEGER NOT NULL DEFAULT 1
) STRICT;

CREATE TABLE users (
  id TEXT PRIMARY KEY,
  username TEXT NOT NULL UNIQUE,
  name TEXT NOT NULL,
  role TEXT NOT NULL CHECK (role IN ('staff', 'manager')),
  password_hash TEXT NOT NULL,
  disabled INTEGER NOT NULL DEFAULT 0,
  created_at INTEGER NOT NULL
) STRICT;

CREATE TABLE sessions (
  token_hash TEXT PRIMARY KEY,
  user_id TEXT NOT NULL REFERENCES users(id),
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE tickets (
  id TEXT PRIMARY KEY,                 -- 128 random bits, base64url: holding it is the right to see and cancel
  day TEXT NOT NULL,                   -- opening day in the hall's time zone, YYYY-MM-DD
  hour INTEGER NOT NULL,               -- local hour of issue
  weekday INTEGER NOT NULL,            -- 0 = Monday
  number TEXT NOT NULL,
  service_id TEXT NOT NULL REFERENCES services(id),
  issued_service_id TEXT NOT NULL REFERENCES services(id),
  tier TEXT NOT NULL CHECK (tier IN ('regular', 'vip', 'elderly', 'appointment')),
  channel TEXT NOT NULL CHECK (channel IN ('kiosk', 'reception', 'mobile', 'appointment')),
  lang TEXT NOT NULL DEFAULT 'zh',
  status TEXT NOT NULL CHECK (status IN ('waiting', 'called', 'serving', 'done', 'no-show', 'cancelled')),
  issued_at INTEGER NOT NULL,
  queued_at INTEGER NOT NULL,          -- joined its current queue (issue or transfer)
  front INTEGER NOT NULL DEFAULT 0,
  passed_over INTEGER NOT NULL DEFAULT 0,
  first_called_at INTEGER,             -- wait = first_called_at - issued_at
  called_at INTEGER,
  serving_at INTEGER,
  finished_at INTEGER,
  counter_id TEXT,
  staff_id TEXT REFERENCES users(id),
  end_reason TEXT,                     -- 'holder' | 'closing' for cancelled tickets
  phone_hash TEXT,                     -- salted SHA-256, never the number
  phone_masked TEXT,
  kiosk_id TEXT,
  print_state TEXT NOT NULL DEFAULT 'none' CHECK (print_state IN ('none', 'pending', 'printed', 'failed')),
  print_problem TEXT,
  call_rule TEXT,
  call_reason_zh TEXT,
  call_reason_en TEXT,
  rating INTEGER,
  rating_dimensions TEXT,
  UNIQUE (day, number)
) STRICT;
CREATE INDEX tickets_waiting ON tickets(status, service_id, queued_at) WHERE status = 'waiting';
CREATE INDEX tickets_open ON tickets(day) WHERE status IN ('waiting', 'called', 'serving');
CREATE INDEX tickets_day ON tickets(day, service_id);
CREATE INDEX tickets_finished ON tickets(service_id, finished_at) WHERE status = 'done';

CREATE TABLE counters (
  id TEXT PRIMARY KEY,
  name TEXT NOT NULL,
  status TEXT NOT NULL DEFAULT 'closed' CHECK (status IN ('closed', 'open', 'paused', 'serving')),
  staff_id TEXT REFERENCES users(id),
  ticket_id TEXT REFERENCES tickets(id),
  pause_reason TEXT,
  updated_at INTEGER NOT NULL
) STRICT;
CREATE UNIQUE INDEX counters_one_seat_per_person ON counters(staff_id) WHERE staff_id IS NOT NULL;

-- Per day and prefix, the last number handed out.
CREATE TABLE daily_numbers (
  day TEXT NOT NULL,
  prefix TEXT NOT NULL,
  last INTEGER NOT NULL,
  PRIMARY KEY (day, prefix)
) STRICT;

-- Append-only: every change, in order. Feeds SSE replay, statistics and audit.
CREATE TABLE events (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  type TEXT NOT NULL,
  ticket_id TEXT,
  counter_id TEXT,
  staff_id TEXT,
  reason TEXT,
  payload TEXT NOT NULL
) STRICT;
CREATE INDEX events_ticket ON events(ticket_id) WHERE ticket_id IS NOT NULL;

CREATE TABLE idempotency_keys (
  key TEXT PRIMARY KEY,
  request_hash TEXT NOT NULL,
  ticket_id TEXT NOT NULL REFERENCES tickets(id),
  created_at INTEGER NOT NULL
) STRICT;

-- Kiosks and displays outside demo mode present a token made by the CLI; only its hash is kept.
CREATE TABLE device_tokens (
  token_hash TEXT PRIMARY KEY,
  kind TEXT NOT NULL CHECK (kind IN ('kiosk', 'display')),
  device_id TEXT NOT NULL,
  created_at INTEGER NOT NULL
) STRICT;

-- Secrets generated once per database (the salt for phone and ID hashes).
CREATE TABLE settings (
  key TEXT PRIMARY KEY,
  value TEXT NOT NULL
) STRICT;
