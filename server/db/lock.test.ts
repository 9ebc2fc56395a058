import { hostname } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runChild } from '../../tests/helpers/child-hall.ts';
import { tempDir } from '../../tests/helpers/temp-dir.ts';
import { DatabaseInUse, lockDatabase } from './lock.ts';

describe('the database lock', () => {
  it('refuses a second holder, naming the file and the first holder, until the first releases it', () => {
    const file = join(tempDir(), 'hall.sqlite');
    const first = lockDatabase(file, 'hall server');
    let refusal: unknown;
    try {
      lockDatabase(file, 'restore');
    } catch (error) {
      refusal = error;
    }
    expect(refusal).toBeInstanceOf(DatabaseInUse);
    expect((refusal as DatabaseInUse).holder).toEqual({
      role: 'hall server',
      pid: process.pid,
      host: hostname(),
      since: first.holder.since,
    });
    expect((refusal as Error).message).toContain(file);
    expect((refusal as Error).message).toContain(`pid ${process.pid}`);
    first.release();
    first.release(); // idempotent
    const second = lockDatabase(file, 'restore');
    expect(second.holder.role).toBe('restore');
    second.release();
  });

  it('locks files, not names: another database in the same folder is free', () => {
    const dir = tempDir();
    const a = lockDatabase(join(dir, 'a.sqlite'), 'hall server');
    const b = lockDatabase(join(dir, 'b.sqlite'), 'hall server');
    a.release();
    b.release();
  });

  it('gives exactly one of several processes racing for it the lock; the others name the winner', async () => {
    const file = join(tempDir(), 'hall.sqlite');
    // Each process takes the lock (or reports the refusal), says so, and holds it until killed.
    const script = `
      import { lockDatabase, DatabaseInUse } from './server/db/lock.ts';
      try {
        lockDatabase(process.env.FILE, 'racer');
        console.log(JSON.stringify({ held: process.pid }));
        setInterval(() => {}, 60_000); // holds the lock until killed
      } catch (e) {
        if (!(e instanceof DatabaseInUse)) throw e;
        console.log(JSON.stringify({ refused: process.pid, holder: e.holder?.pid ?? null }));
      }`;
    const racers = Array.from({ length: 6 }, () =>
      runChild('--input-type=module', ['-e', script], { FILE: file }),
    );
    const lines = await Promise.all(
      racers.map(async (r) => {
        while (!r.stdout().includes('\n')) await new Promise((resolve) => setTimeout(resolve, 20));
        return JSON.parse(r.stdout()) as { held?: number; refused?: number; holder?: number | null };
      }),
    );
    for (const r of racers) r.process.kill('SIGKILL');
    await Promise.all(racers.map((r) => r.exited));
    const holders = lines.filter((l) => l.held);
    expect(holders).toHaveLength(1);
    // A refused process reads who holds it; one that asked while the winner was between its two steps
    // may see no details yet (null), never a wrong process.
    for (const l of lines.filter((x) => x.refused)) expect([holders[0]!.held, null]).toContain(l.holder);
  }, 30_000);
});
