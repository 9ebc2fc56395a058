import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../tests/helpers/temp-dir.ts';
import { testCommandPath } from '../../tests/helpers/test-hall.ts';
import type { HallEvent } from '../contract/events.ts';
import { openDatabase } from '../db/open.ts';
import { ManualClock } from '../domain/clock.ts';
import { refuse } from './command-path.ts';

function setup() {
  const path = join(tempDir(), 'hall.sqlite');
  const db = openDatabase(path);
  db.exec('CREATE TABLE notes (text TEXT NOT NULL)');
  const logs: Record<string, unknown>[] = [];
  const clock = new ManualClock(1_000);
  const { bus, commands, storage } = testCommandPath(db, path, clock, (l) => logs.push(l));
  const published: HallEvent[] = [];
  bus.subscribe((e) => published.push(e));
  const note = db.prepare('INSERT INTO notes(text) VALUES (?)');
  const notes = () =>
    db
      .prepare<[], { text: string }>('SELECT text FROM notes')
      .all()
      .map((r) => r.text);
  /** Makes the next write that grows the database fail with SQLITE_FULL, as a full disk does. */
  const fillDisk = () => db.pragma(`max_page_count = ${db.pragma('page_count', { simple: true })}`);
  const freeDisk = () => db.pragma('max_page_count = 1073741823');
  return { db, clock, commands, storage, published, note, notes, logs, fillDisk, freeDisk };
}

const count = (n: number) => ({ count: n });

describe('the command path', () => {
  it('publishes a command’s events after its commit, and nothing of a refused one', () => {
    const { commands, published, note, notes } = setup();
    const done = commands.run('note', (tx) => {
      note.run('kept');
      tx.record('notices.updated', count(1));
      expect(published).toEqual([]); // not before the commit
      return 'ok';
    });
    expect(done).toEqual({ ok: true, value: 'ok' });
    expect(published.map((e) => e.data)).toEqual([count(1)]);

    const refused = commands.run('note', (tx) => {
      note.run('undone');
      tx.record('notices.updated', count(2));
      refuse(409, 'illegal-transition', 'refused on purpose');
    });
    expect(refused).toMatchObject({ ok: false, status: 409, code: 'illegal-transition' });
    expect(notes()).toEqual(['kept']);
    expect(published).toHaveLength(1);
  });

  it('sends its events with the time they were written and the time their command committed', () => {
    const { commands, published, clock } = setup();
    commands.run('note', (tx) => {
      tx.record('notices.updated', count(1));
      clock.advance(7); // the rest of the command, then its durable commit
    });
    expect(published.map((e) => [e.at, e.committedAt])).toEqual([
      [new Date(1_000).toISOString(), new Date(1_007).toISOString()],
    ]);
  });

  it('runs a group in one transaction: a refusal or a bug undoes only its own command', async () => {
    const { commands, published, note, notes } = setup();
    const asked = [
      commands.runSoon('a', (tx) => {
        note.run('a');
        tx.record('notices.updated', count(1));
        return 'a';
      }),
      commands.runSoon('b', () => {
        note.run('b');
        refuse(404, 'not-found', 'nothing here');
      }),
      commands.runSoon('c', () => {
        note.run('c');
        throw new TypeError('a bug');
      }),
      commands.runSoon('d', (tx) => {
        note.run('d');
        tx.record('notices.updated', count(4));
        return 'd';
      }),
    ];
    const settled = await Promise.allSettled(asked);
    expect(settled[0]).toEqual({ status: 'fulfilled', value: { ok: true, value: 'a' } });
    expect(settled[1]).toMatchObject({ status: 'fulfilled', value: { ok: false, code: 'not-found' } });
    expect(settled[2]).toMatchObject({ status: 'rejected', reason: new TypeError('a bug') });
    expect(settled[3]).toEqual({ status: 'fulfilled', value: { ok: true, value: 'd' } });
    expect(notes()).toEqual(['a', 'd']);
    expect(published.map((e) => e.data)).toEqual([count(1), count(4)]);
  });

  it('keeps the events of a command run inside another until the outer one commits', () => {
    const { commands, published } = setup();
    commands.run('outer', (tx) => {
      tx.record('notices.updated', count(1));
      const inner = commands.run('inner', (t) => t.record('notices.updated', count(2)));
      expect(inner.ok).toBe(true);
      expect(published).toEqual([]);
    });
    expect(published.map((e) => e.data)).toEqual([count(1), count(2)]);
  });

  it('answers storage-unavailable on a full disk, retries a waiting write, and resumes when space returns', () => {
    const { commands, storage, note, notes, fillDisk, freeDisk, published } = setup();
    fillDisk();
    const big = 'x'.repeat(5000);
    const refused = commands.run('note', () => note.run(big));
    expect(refused).toMatchObject({ ok: false, status: 503, code: 'storage-unavailable' });
    expect(refused.ok || refused.retryAfterSeconds).toBeGreaterThan(0);
    expect(storage.health()).toMatchObject({ writable: false, fault: { code: 'disk-full' } });
    // A write that follows an answer already given: kept, never thrown.
    commands.later('late', (tx) => {
      note.run(`late ${big}`);
      tx.record('notices.updated', count(7));
    });
    expect(commands.waitingWrites).toBe(1);

    freeDisk();
    expect(commands.probe().ok).toBe(true);
    expect(storage.health()).toMatchObject({ writable: true, fault: null });
    expect(commands.waitingWrites).toBe(0);
    expect(notes()).toEqual([`late ${big}`]);
    expect(published.map((e) => e.data)).toEqual([count(7)]);
  });

  it('turns a bug into an error, not a refusal', () => {
    const { commands } = setup();
    expect(() => commands.run('bug', () => JSON.parse('{'))).toThrow(SyntaxError);
  });
});
