/**
 * One HallQ process per database file, with real processes: a second hall on the same file refuses to
 * start and names the first; the first is untouched; `kill -9` of the first frees the file at once.
 */
import { hostname } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { type ChildHall, runChild, startChildHall } from '../helpers/child-hall.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const started: ChildHall[] = [];
afterAll(async () => {
  await Promise.all(started.map((h) => h.kill9()));
});

async function issue(url: string): Promise<{ id: string; number: string }> {
  const res = await fetch(`${url}/api/v1/tickets`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ serviceId: 'general', channel: 'reception' }),
  });
  expect(res.status).toBe(201);
  return (await res.json()) as { id: string; number: string };
}

describe('one hall process per database file', () => {
  it('refuses a second server with a message naming the file and the first process, and exits 3', async () => {
    const dbPath = join(tempDir(), 'hall.sqlite');
    const first = await startChildHall(dbPath);
    started.push(first);
    const ticket = await issue(first.url);

    const second = runChild('server/main.ts', [], { PORT: '0', HALLQ_HOST: '127.0.0.1', HALLQ_DB: dbPath });
    const { code } = await second.exited;
    expect(code).toBe(3);
    const message = second.stderr();
    expect(message).toContain(dbPath);
    expect(message).toContain(`pid ${first.pid}`);
    expect(message).toContain(hostname());
    expect(message).toMatch(/since \d{4}-\d\d-\d\dT\d\d:\d\d/);
    expect(second.stdout()).not.toContain('hall listening');

    // The first hall carries on, its ticket and numbering untouched.
    const again = await fetch(`${first.url}/api/v1/tickets/${ticket.id}`);
    expect(again.status).toBe(200);
    expect((await issue(first.url)).number).toBe('A002');
  });

  it('frees the file when the holder is killed with SIGKILL: the next server starts and has the tickets', async () => {
    const dbPath = join(tempDir(), 'hall.sqlite');
    const first = await startChildHall(dbPath);
    started.push(first);
    const ticket = await issue(first.url);
    await first.kill9();

    const next = await startChildHall(dbPath);
    started.push(next);
    const found = await fetch(`${next.url}/api/v1/tickets/${ticket.id}`);
    expect(found.status).toBe(200);
    expect(((await found.json()) as { number: string }).number).toBe(ticket.number);
  });
});
