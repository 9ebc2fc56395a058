-- The kiosk's services beyond the queue: identification, appointments, feedback, self-service orders,
-- and the embedded defaults of the outside systems (demo BSS, SMS outbox).
-- Privacy: phone numbers, ID numbers, one-time codes, tokens and appointment codes are kept only as
-- salted, keyed or plain SHA-256 hashes (and masked forms for screens); an ID card's photo is never stored.

-- ---------- demo BSS (the embedded default of the Bss interface; empty outside demo mode) ----------

CREATE TABLE demo_bss_accounts (
  id TEXT PRIMARY KEY,                    -- the BSS customer id (opaque to HallQ)
  phone_hash TEXT NOT NULL UNIQUE,        -- salted SHA-256 of the phone number
  phone_masked TEXT NOT NULL,
  id_number_hash TEXT UNIQUE,             -- HMAC-SHA256 of the ID number under the hall's salt
  member_code_hash TEXT UNIQUE,           -- SHA-256 of the member QR code
  name_masked TEXT NOT NULL,
  age INTEGER,
  star INTEGER NOT NULL DEFAULT 0,        -- 1 = star (VIP) customer
  plan_zh TEXT NOT NULL,
  plan_en TEXT NOT NULL,
  balance_fen INTEGER NOT NULL,
  data_used_mb INTEGER NOT NULL,
  data_included_mb INTEGER NOT NULL,
  voice_used_minutes INTEGER NOT NULL,
  voice_included_minutes INTEGER NOT NULL
) STRICT;

CREATE TABLE demo_bss_bills (
  account_id TEXT NOT NULL REFERENCES demo_bss_accounts(id),
  period TEXT NOT NULL,                   -- YYYY-MM
  amount_fen INTEGER NOT NULL,
  due_date TEXT NOT NULL,                 -- YYYY-MM-DD
  paid_at INTEGER,
  PRIMARY KEY (account_id, period)
) STRICT;

CREATE TABLE demo_bss_packs (
  id TEXT PRIMARY KEY,
  name_zh TEXT NOT NULL,
  name_en TEXT NOT NULL,
  description_zh TEXT NOT NULL,
  description_en TEXT NOT NULL,
  price_fen INTEGER NOT NULL,
  data_mb INTEGER NOT NULL DEFAULT 0,
  voice_minutes INTEGER NOT NULL DEFAULT 0
) STRICT;

-- Every credit the demo BSS accepted, by HallQ's order id: the same order id never credits twice.
CREATE TABLE demo_bss_orders (
  order_id TEXT PRIMARY KEY,
  account_id TEXT NOT NULL,
  kind TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  result TEXT NOT NULL,                   -- JSON of the answer given, repeated for a repeated order id
  at INTEGER NOT NULL
) STRICT;

-- ---------- SMS outbox (the embedded default of the Sms interface) ----------

CREATE TABLE sms_outbox (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  to_masked TEXT NOT NULL,                -- the number itself is not kept
  text TEXT NOT NULL
) STRICT;

-- ---------- identification ----------

-- Every request for a one-time code, for the per-phone and per-kiosk limits (kept a day).
CREATE TABLE code_requests (
  at INTEGER NOT NULL,
  phone_hash TEXT NOT NULL,
  source TEXT NOT NULL                    -- 'kiosk:<id>' or 'address:<ip>'
) STRICT;
CREATE INDEX code_requests_phone ON code_requests(phone_hash, at);
CREATE INDEX code_requests_source ON code_requests(source, at);

CREATE TABLE code_challenges (
  id TEXT PRIMARY KEY,                    -- random, 128 bits
  phone_hash TEXT NOT NULL,
  phone_masked TEXT NOT NULL,
  customer_ref TEXT NOT NULL,             -- the BSS customer id
  code_hash TEXT NOT NULL,                -- HMAC of the code under the hall's salt
  kiosk_id TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL,
  wrong_tries INTEGER NOT NULL DEFAULT 0,
  closed_at INTEGER                       -- used, replaced by a newer code, or too many wrong tries
) STRICT;
CREATE INDEX code_challenges_phone ON code_challenges(phone_hash) WHERE closed_at IS NULL;

-- Identified customers: a random token whose SHA-256 alone is kept, with masked data only.
CREATE TABLE customer_tokens (
  token_hash TEXT PRIMARY KEY,
  customer_ref TEXT,                      -- null: identified by an ID card, no line here
  tier TEXT NOT NULL CHECK (tier IN ('regular', 'vip', 'elderly')),
  phone_masked TEXT,
  name_masked TEXT NOT NULL,
  age INTEGER,
  kiosk_id TEXT,
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

-- What a kiosk's ID reader or scanner read, redeemable once, by that kiosk, for a minute.
CREATE TABLE device_reads (
  id TEXT PRIMARY KEY,                    -- the one-time readId, 128 random bits
  kiosk_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('id-card', 'member', 'appointment', 'unknown')),
  name_masked TEXT,                       -- id-card: masked name, masked number, salted hash, age
  id_number_masked TEXT,
  id_number_hash TEXT,
  age INTEGER,
  customer_ref TEXT,                      -- member: the BSS customer the code belongs to
  appointment_id TEXT,                    -- appointment: the appointment the code names
  created_at INTEGER NOT NULL,
  expires_at INTEGER NOT NULL
) STRICT;

-- ---------- appointments ----------

CREATE TABLE appointments (
  id TEXT PRIMARY KEY,
  code_hash TEXT NOT NULL,                -- SHA-256 of the 6-digit check-in code (unique among current ones)
  service_id TEXT NOT NULL REFERENCES services(id),
  slot_at INTEGER NOT NULL,
  phone_hash TEXT NOT NULL,
  phone_masked TEXT NOT NULL,
  source TEXT NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('booked', 'checked-in', 'cancelled')),
  created_at INTEGER NOT NULL,
  checked_in_at INTEGER,
  ticket_id TEXT REFERENCES tickets(id),
  checkin_key TEXT                        -- the kiosk's Idempotency-Key of the check-in
) STRICT;
CREATE INDEX appointments_key ON appointments(checkin_key) WHERE checkin_key IS NOT NULL;
CREATE INDEX appointments_code ON appointments(code_hash);
CREATE INDEX appointments_slot ON appointments(service_id, slot_at) WHERE status = 'booked';
CREATE INDEX appointments_phone ON appointments(phone_hash, slot_at);

-- ---------- feedback and complaints ----------

CREATE TABLE feedback (
  id TEXT PRIMARY KEY,
  reference TEXT NOT NULL UNIQUE,         -- FB-MMDD-NNN, quoted by the customer later
  day TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('complaint', 'suggestion', 'praise')),
  topics TEXT NOT NULL,                   -- JSON array
  lang TEXT NOT NULL,
  kiosk_id TEXT,
  customer_ref TEXT,                      -- for the manager's call-back
  phone_masked TEXT,
  ticket_id TEXT REFERENCES tickets(id),
  created_at INTEGER NOT NULL
) STRICT;
CREATE INDEX feedback_day ON feedback(day);

-- ---------- self-service ----------

CREATE TABLE orders (
  id TEXT PRIMARY KEY,                    -- 128 random bits; also the order id given to the terminal and BSS
  idempotency_key TEXT NOT NULL UNIQUE,
  request_hash TEXT NOT NULL,
  customer_ref TEXT NOT NULL,
  phone_masked TEXT,
  kiosk_id TEXT NOT NULL,
  kind TEXT NOT NULL CHECK (kind IN ('top-up', 'bill', 'pack')),
  period TEXT,
  pack_id TEXT,
  label_zh TEXT NOT NULL,
  label_en TEXT NOT NULL,
  amount_fen INTEGER NOT NULL,
  status TEXT NOT NULL CHECK (status IN ('awaiting-payment', 'paid', 'declined', 'timeout', 'cancelled')),
  problem_zh TEXT,
  problem_en TEXT,
  reference TEXT,
  credit_state TEXT NOT NULL DEFAULT 'none' CHECK (credit_state IN ('none', 'pending', 'done')),
  receipt_state TEXT NOT NULL DEFAULT 'none' CHECK (receipt_state IN ('none', 'pending', 'printed', 'failed')),
  receipt_problem TEXT,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
) STRICT;
-- One payment at a time at a kiosk's terminal.
CREATE UNIQUE INDEX orders_one_payment_per_kiosk ON orders(kiosk_id)
  WHERE status = 'awaiting-payment' AND kind IN ('top-up', 'bill');
CREATE INDEX orders_credit_pending ON orders(credit_state) WHERE credit_state = 'pending';

-- Append-only: every step of every money movement and every invoice print, for audit.
CREATE TABLE transactions (
  id INTEGER PRIMARY KEY AUTOINCREMENT,
  at INTEGER NOT NULL,
  day TEXT NOT NULL,
  order_id TEXT,
  kiosk_id TEXT,
  customer_ref TEXT,
  kind TEXT NOT NULL,                     -- 'top-up' | 'bill' | 'pack' | 'invoice'
  step TEXT NOT NULL,                     -- e.g. 'created', 'paid', 'declined', 'credited', 'receipt-printed'
  amount_fen INTEGER,
  reference TEXT,
  detail TEXT
) STRICT;
CREATE INDEX transactions_order ON transactions(order_id) WHERE order_id IS NOT NULL;
CREATE INDEX transactions_day ON transactions(day);
