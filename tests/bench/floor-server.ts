/**
 * The floors of the ticket benchmark: a bare Express 5 app whose one route does one durable insert into a
 * better-sqlite3 database with the hall's pragmas (WAL, synchronous=FULL), committed one of two ways:
 *
 * - `FLOOR_COMMIT=request`: one transaction, one fsync, per request;
 * - `FLOOR_COMMIT=group`: as the hall commits tickets (server/app/command-path.ts `runSoon`), the
 *   requests that arrive in one turn of the event loop are inserted in one transaction, made durable by
 *   one commit, and answered after it.
 *
 * Whatever the hall does on top — validation, numbering, the event row, positions, forecasts, publishing,
 * printing — is the cost the benchmark compares against these floors.
 *
 *   FLOOR_DB=/tmp/floor.sqlite FLOOR_COMMIT=group node --import tsx tests/bench/floor-server.ts
 */
import Database from 'better-sqlite3';
import express, { type Response } from 'express';

const mode = process.env.FLOOR_COMMIT ?? 'request';
if (mode !== 'request' && mode !== 'group')
  throw new Error(`FLOOR_COMMIT must be request or group, not ${mode}`);

const db = new Database(process.env.FLOOR_DB ?? ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`CREATE TABLE IF NOT EXISTS tickets (
  id INTEGER PRIMARY KEY,
  service_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  issued_at INTEGER NOT NULL
) STRICT`);
const insert = db.prepare<[string, string, number]>(
  'INSERT INTO tickets(service_id, channel, issued_at) VALUES (?, ?, ?)',
);

type Ticket = { serviceId: string; channel: string };
const insertOne = (t: Ticket) => Number(insert.run(t.serviceId, t.channel, Date.now()).lastInsertRowid);

let queued: { ticket: Ticket; res: Response }[] = [];
/** The tickets of one turn, in one transaction; each answered once it is durable. */
const insertQueued = db.transaction((group: typeof queued) => group.map(({ ticket }) => insertOne(ticket)));
function commitQueued(): void {
  const group = queued;
  queued = [];
  const ids = insertQueued(group);
  group.forEach(({ res }, i) => {
    res.status(201).json({ id: ids[i] });
  });
}

const app = express();
app.use(express.json({ limit: '64kb' }));
app.post('/api/v1/tickets', (req, res) => {
  const body = req.body as { serviceId?: string; channel?: string };
  const ticket = { serviceId: String(body.serviceId), channel: String(body.channel ?? 'kiosk') };
  if (mode === 'request') {
    res.status(201).json({ id: insertOne(ticket) });
    return;
  }
  if (queued.length === 0) setImmediate(commitQueued);
  queued.push({ ticket, res });
});

const server = app.listen(Number(process.env.PORT ?? 0), process.env.HALLQ_HOST ?? '127.0.0.1', () => {
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  process.stdout.write(`${JSON.stringify({ msg: 'floor listening', url: `http://127.0.0.1:${port}` })}\n`);
});
process.on('SIGTERM', () => {
  server.close(() => {
    db.close();
    process.exit(0);
  });
  server.closeAllConnections();
});
