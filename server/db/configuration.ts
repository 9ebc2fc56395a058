/**
 * The hall's configuration, one JSON document per version (migration 006), and what a change of it must
 * not break in the queue's rows: a service still holding open tickets, a counter still open or seated.
 */
import type { CounterStatus } from '../contract/api.ts';
import type { Db } from './open.ts';

export type ConfigurationRow = {
  version: number;
  /** The whole HallConfig as JSON. */
  config: string;
  /** The SHA-256 of the file's configuration this version descends from. */
  seed_hash: string;
  at: number;
  user_id: string | null;
};

export type ConfigurationRepository = ReturnType<typeof createConfigurationRepository>;

export function createConfigurationRepository(db: Db) {
  const st = {
    latest: db.prepare<[], ConfigurationRow>(
      'SELECT version, config, seed_hash, at, user_id FROM hall_configuration ORDER BY version DESC LIMIT 1',
    ),
    seedHashOf: db
      .prepare<[number], string>('SELECT seed_hash FROM hall_configuration WHERE version = ?')
      .pluck(),
    add: db.prepare<ConfigurationRow>(
      `INSERT INTO hall_configuration(version, config, seed_hash, at, user_id)
       VALUES (@version, @config, @seed_hash, @at, @user_id)`,
    ),
    openTicketsOf: db
      .prepare<[string], number>(
        `SELECT COUNT(*) FROM tickets WHERE service_id = ? AND status IN ('waiting', 'called', 'serving')`,
      )
      .pluck(),
    counter: db.prepare<[string], { status: CounterStatus; staff_id: string | null }>(
      'SELECT status, staff_id FROM counters WHERE id = ?',
    ),
    seatOf: db.prepare<[string], string>('SELECT id FROM counters WHERE staff_id = ?').pluck(),
    removeClosedCounter: db.prepare<[string]>(
      "DELETE FROM counters WHERE id = ? AND status = 'closed' AND staff_id IS NULL",
    ),
  };

  return {
    /** The version in force, or none before the first start. */
    latest: (): ConfigurationRow | undefined => st.latest.get(),
    seedHashOf: (version: number): string | undefined => st.seedHashOf.get(version),
    add: (row: ConfigurationRow) => void st.add.run(row),
    /** Tickets of the service still waiting, called or being served. */
    openTicketsOf: (serviceId: string): number => st.openTicketsOf.get(serviceId)!,
    /** A counter's row: whether it is open and who sits at it. */
    counter: (id: string) => st.counter.get(id),
    /** The counter a person sits at, if any. */
    seatOf: (staffId: string): string | undefined => st.seatOf.get(staffId),
    /** A counter that left the configuration leaves the hall, if it is closed and empty. */
    removeClosedCounter: (id: string) => void st.removeClosedCounter.run(id),
  };
}
