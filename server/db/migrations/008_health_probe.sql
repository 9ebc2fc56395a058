-- One row that /health's write probe rewrites: a real, fsync'd write that fails as a ticket would.
CREATE TABLE health_probe (
  id INTEGER PRIMARY KEY CHECK (id = 1),
  at INTEGER NOT NULL
);
