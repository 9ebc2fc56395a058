/**
 * HQ's PostgreSQL: a connection pool, the numbered migrations, and transactions that say whose they are
 * (`hallq.scope`, which the row-level security policies of migration 001 read).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

const MIGRATIONS_DIR = join(import.meta.dirname, 'migrations');

/** Whose rows a transaction sees: all of them, or one region's. */
export type Scope = { all: true } | { region: string };
export const ALL: Scope = { all: true };

export class DatabaseRefused extends Error {
  override name = 'DatabaseRefused';
}

// Sequence numbers fit a double; dates stay the YYYY-MM-DD they are (not a Date at local midnight).
const types = {
  getTypeParser: ((oid: number, format?: 'text' | 'binary') => {
    if (oid === pg.types.builtins.INT8) return (v: string) => Number(v);
    if (oid === pg.types.builtins.DATE) return (v: string) => v;
    return pg.types.getTypeParser(oid, format);
  }) as typeof pg.types.getTypeParser,
};

export type HqDb = ReturnType<typeof openHqDb>;

export function openHqDb(url: string, options: { max?: number } = {}) {
  const pool = new pg.Pool({
    connectionString: url,
    max: options.max ?? 8,
    types,
    // A request never waits for a connection forever: it is shed with a 503 instead.
    connectionTimeoutMillis: 10_000,
    application_name: 'hallq-hq',
  });
  // An idle client that loses its server (PostgreSQL restarted) is dropped, not a crash.
  pool.on('error', () => {});

  /** Runs `body` in one transaction scoped to `scope`; rolls back if it throws. */
  async function tx<T>(scope: Scope, body: (client: pg.PoolClient) => Promise<T>): Promise<T> {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      await client.query("SELECT set_config('hallq.scope', $1, true)", [
        'all' in scope ? '*' : `region:${scope.region}`,
      ]);
      const value = await body(client);
      await client.query('COMMIT');
      return value;
    } catch (error) {
      await client.query('ROLLBACK').catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }

  return {
    pool,
    tx,
    /** One statement in its own scoped transaction. */
    read: <R extends pg.QueryResultRow>(scope: Scope, text: string, values: unknown[] = []) =>
      tx(scope, async (c) => (await c.query<R>(text, values)).rows),
    /** Outside any scope: accounts and sessions, which have no region. */
    query: <R extends pg.QueryResultRow>(text: string, values: unknown[] = []) =>
      pool.query<R>(text, values).then((r) => r.rows),
    close: () => pool.end(),
  };
}

/**
 * Applies every pending migration (`NNN_what.sql`), each in its own transaction, under an advisory lock
 * so two HQ processes starting together do not race. Refuses a superuser: row-level security, which
 * keeps region managers to their region, does not bind one.
 */
export async function migrate(db: HqDb): Promise<number> {
  const client = await db.pool.connect();
  try {
    const role = await client.query<{ bypass: boolean; name: string }>(
      'SELECT rolsuper OR rolbypassrls AS bypass, rolname AS name FROM pg_roles WHERE rolname = current_user',
    );
    if (role.rows[0]?.bypass)
      throw new DatabaseRefused(
        `HQ connects as ${role.rows[0].name}, a superuser (or BYPASSRLS) role: region scoping by row-level security would not bind it. Connect as a role that owns HQ's database instead.`,
      );
    await client.query('SELECT pg_advisory_lock(7110001)');
    await client.query('CREATE TABLE IF NOT EXISTS hq_schema (version integer NOT NULL)');
    const current = (await client.query<{ v: number | null }>('SELECT max(version) AS v FROM hq_schema'))
      .rows[0]?.v;
    let version = current ?? 0;
    const files = readdirSync(MIGRATIONS_DIR)
      .filter((f) => /^\d{3}_[a-z0-9_]+\.sql$/.test(f))
      .sort();
    for (const file of files) {
      const number = Number(file.slice(0, 3));
      if (number <= version) continue;
      await client.query('BEGIN');
      try {
        await client.query(readFileSync(join(MIGRATIONS_DIR, file), 'utf8'));
        await client.query('INSERT INTO hq_schema(version) VALUES ($1)', [number]);
        await client.query('COMMIT');
      } catch (error) {
        await client.query('ROLLBACK');
        throw error;
      }
      version = number;
    }
    return version;
  } finally {
    await client.query('SELECT pg_advisory_unlock(7110001)').catch(() => {});
    client.release();
  }
}
