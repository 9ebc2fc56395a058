-- The "your turn is near" text a ticket's holder asked for on the phone page. The number itself is never
-- stored: the server holds it in memory until the text is sent or the ticket leaves the line (a restart
-- loses it, and the row says `lost` so the page can ask again); the row keeps the masked form to show.
CREATE TABLE turn_alerts (
  ticket_id TEXT PRIMARY KEY REFERENCES tickets(id),
  phone_masked TEXT NOT NULL,
  state TEXT NOT NULL CHECK (state IN ('armed', 'sent', 'failed', 'lost', 'ended')),
  requests INTEGER NOT NULL DEFAULT 1,
  requested_at INTEGER NOT NULL,
  sent_at INTEGER
) STRICT;
CREATE INDEX turn_alerts_armed ON turn_alerts(state) WHERE state = 'armed';
