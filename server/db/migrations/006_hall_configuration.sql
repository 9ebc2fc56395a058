-- The hall's configuration as the manager edits it (services, counters and the rest of HallConfig), one
-- JSON document per version, validated by hallConfigSchema before it is written. The newest version is
-- in force. `seed_hash` is the SHA-256 of the file (or demo) configuration the row came from or was
-- edited on top of: when the installer changes the file, the file wins again (server/app/configuration.ts).
CREATE TABLE hall_configuration (
  version INTEGER PRIMARY KEY,
  config TEXT NOT NULL,
  seed_hash TEXT NOT NULL,
  at INTEGER NOT NULL,
  user_id TEXT REFERENCES users(id)
) STRICT;

-- The audit view lists the manual ticket and counter actions (events with a person) by time.
CREATE INDEX events_staff_at ON events(at) WHERE staff_id IS NOT NULL;
