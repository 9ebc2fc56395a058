/**
 * The floor for the ticket benchmark: a bare Express 5 app whose one route does one durable insert into
 * a better-sqlite3 database with the hall's pragmas (WAL, synchronous=FULL). Whatever the hall does on
 * top of this — validation, numbering, the event row, positions, ETA, publishing, logging — is the cost
 * the benchmark compares against this floor.
 *
 *   FLOOR_DB=/tmp/floor.sqlite node --import tsx tests/bench/floor-server.ts
 */
import Database from 'better-sqlite3';
import express from 'express';

const db = new Database(process.env.FLOOR_DB ?? ':memory:');
db.pragma('journal_mode = WAL');
db.pragma('synchronous = FULL');
db.exec(`CREATE TABLE IF NOT EXISTS tickets (
  id INTEGER PRIMARY KEY,
  service_id TEXT NOT NULL,
  channel TEXT NOT NULL,
  issued_at INTEGER NOT NULL
) STRICT`);
const insert = db.prepare('INSERT INTO tickets(service_id, channel, issued_at) VALUES (?, ?, ?)');

const app = express();
app.use(express.json({ limit: '64kb' }));
app.post('/api/v1/tickets', (req, res) => {
  const body = req.body as { serviceId?: string; channel?: string };
  const info = insert.run(String(body.serviceId), String(body.channel ?? 'kiosk'), Date.now());
  res.status(201).json({ id: Number(info.lastInsertRowid) });
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
