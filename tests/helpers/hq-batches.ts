/**
 * The real sender's batches for a hall database, recorded by a stand-in HQ that acknowledges each in
 * full: for replaying them to HQ in any order (tests) or for many halls (the benchmark).
 */
import { createServer, type Server } from 'node:http';
import { createHqSender } from '../../server/app/hq-sender.ts';
import type { HqBatch } from '../../server/contract/hq.ts';
import type { Clock } from '../../server/domain/clock.ts';

export async function recordBatches(options: {
  dbPath: string;
  clock: Clock;
  timeZone: string;
  waitTarget: (serviceId: string) => number;
  maxBatchBytes: number;
}): Promise<string[]> {
  const bodies: string[] = [];
  const server: Server = createServer(async (req, res) => {
    let body = '';
    for await (const c of req) body += c;
    if (req.url?.startsWith('/hq/v1/config')) return void res.writeHead(204).end();
    bodies.push(body);
    const events = (JSON.parse(body) as HqBatch).events;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ ackedThrough: events.at(-1)?.seq ?? 0 }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const sender = createHqSender({
    dbPath: options.dbPath,
    url: `http://127.0.0.1:${(server.address() as { port: number }).port}`,
    token: 'recording-only-token',
    clock: options.clock,
    timeZone: () => options.timeZone,
    waitTarget: options.waitTarget,
    appVersion: '0.1.0',
    log: () => {},
    maxBatchBytes: options.maxBatchBytes,
  });
  const done = await sender.flush();
  await sender.stop();
  await new Promise((r) => server.close(r));
  if (!done) throw new Error('the recording sender did not finish');
  return bodies.filter((b) => (JSON.parse(b) as HqBatch).events.length > 0);
}
