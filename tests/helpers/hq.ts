/**
 * HQ for tests: a private PostgreSQL cluster of the test's own (initdb in a temporary folder, a free
 * port), HQ on it with the test's clock, and helpers to sign in and to wait for halls to be shipped.
 */
import { chmodSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { expect } from 'vitest';
import { createAccounts } from '../../hq/server/accounts.ts';
import { type PrivateCluster, startPrivateCluster } from '../../hq/server/cluster.ts';
import { addHall, type RunningHq, startHq } from '../../hq/server/main.ts';
import type { RunningHall } from '../../server/main.ts';
import { builtPages, Client } from './http.ts';

export type TestHq = {
  cluster: PrivateCluster;
  dir: string;
  hq: RunningHq;
  /** HQ again on the same database and port (after `hq.close()`). */
  restart(): Promise<RunningHq>;
  addHall(hall: { id: string; name: string; region: string }): Promise<string>;
  stop(): Promise<void>;
};

/** Settings that make a throwaway cluster fast: nothing here must survive a power cut. */
const FAST = { fsync: 'off', synchronous_commit: 'off', full_page_writes: 'off' };

export async function startTestHq(options: {
  now: () => number;
  maxIngestsInFlight?: number;
  /** Serve the built pages (browser tests). */
  pages?: boolean;
}): Promise<TestHq> {
  const dir = mkdtempSync(join(tmpdir(), 'hallq-hq-'));
  chmodSync(dir, 0o755); // PostgreSQL runs as the postgres user
  const cluster = await startPrivateCluster({ dir: join(dir, 'pg'), settings: FAST });
  const start = (port: number) =>
    startHq(
      { port, host: '127.0.0.1', databaseUrl: cluster.url, dataDir: dir, demo: false },
      {
        now: options.now,
        log: () => {},
        distDir: options.pages ? builtPages() : join(dir, 'no-pages'),
        maxIngestsInFlight: options.maxIngestsInFlight,
      },
    );
  const test: TestHq = {
    cluster,
    dir,
    hq: await start(0),
    async restart() {
      test.hq = await start(Number(new URL(test.hq.url).port));
      return test.hq;
    },
    addHall: (hall) => addHall(test.hq.db, hall),
    async stop() {
      await test.hq.close();
      await cluster.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
  return test;
}

/** An HQ account made as the CLI makes it (password: `<username>-password`), signed in. */
export async function hqClient(
  test: TestHq,
  user: { username: string; role: 'hq' | 'region'; region?: string },
): Promise<Client> {
  const password = `${user.username}-password`;
  await createAccounts(test.hq.db, Date.now).saveUser(
    { username: user.username, name: user.username, role: user.role, region: user.region ?? null },
    password,
  );
  const client = new Client(test.hq.url);
  const answer = await client.post('/hq/v1/auth/login', { username: user.username, password });
  expect(answer.status, answer.text).toBe(200);
  return client;
}

/** Waits until HQ has acknowledged every event of the hall (its /health says so). */
export async function shipped(hall: RunningHall, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const health = (await (await fetch(`${hall.url}/api/v1/health`)).json()) as {
      hq: { pendingEvents: number; connected: boolean; problem: string | null };
    };
    if (health.hq.connected && health.hq.pendingEvents === 0) return;
    if (Date.now() > deadline) throw new Error(`hall ${hall.url} not shipped: ${JSON.stringify(health.hq)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
