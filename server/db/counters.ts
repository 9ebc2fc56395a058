/**
 * The counters table as the queue reads and writes it: each counter with the person seated there and the
 * ticket at it. Which move a counter may make is the lifecycle's to say (server/domain/lifecycle.ts).
 */
import type { CounterStatus, PauseReason, User } from '../contract/api.ts';
import type { Db } from './open.ts';

/** A counter with the name of the person seated and the number and start of its current ticket. */
export type CounterRow = {
  id: string;
  name: string;
  status: CounterStatus;
  staff_id: string | null;
  staff_name: string | null;
  ticket_id: string | null;
  ticket_number: string | null;
  /** When the current ticket was started here, else called here. */
  ticket_since: number | null;
  pause_reason: PauseReason | null;
};

/** A counter's live state, as written. */
export type CounterState = {
  id: string;
  status: CounterStatus;
  staffId: string | null;
  ticketId: string | null;
  pauseReason: PauseReason | null;
  updatedAt: number;
};

/** An open or serving counter, with the service of its ticket and since when it has had it. */
export type CallingCounter = {
  id: string;
  status: CounterStatus;
  service_id: string | null;
  since: number | null;
};

const COUNTER_ROWS_SQL = `SELECT c.id, c.name, c.status, c.staff_id, u.name AS staff_name, c.ticket_id,
    t.number AS ticket_number, COALESCE(t.serving_at, t.called_at) AS ticket_since, c.pause_reason FROM counters c
  LEFT JOIN users u ON u.id = c.staff_id LEFT JOIN tickets t ON t.id = c.ticket_id`;

export type CounterRepository = ReturnType<typeof createCounterRepository>;

export function createCounterRepository(db: Db) {
  const st = {
    byId: db.prepare<[string], CounterRow>(`${COUNTER_ROWS_SQL} WHERE c.id = ?`),
    all: db.prepare<[], CounterRow>(COUNTER_ROWS_SQL),
    calling: db.prepare<[], CallingCounter>(
      `SELECT c.id, c.status, t.service_id, COALESCE(t.serving_at, t.called_at) AS since FROM counters c
       LEFT JOIN tickets t ON t.id = c.ticket_id WHERE c.status IN ('open', 'serving')`,
    ),
    seatOf: db.prepare<[string], { id: string }>('SELECT id FROM counters WHERE staff_id = ?'),
    seated: db.prepare<[string], User>(
      'SELECT u.id, u.name, u.role FROM counters c JOIN users u ON u.id = c.staff_id WHERE c.id = ?',
    ),
    update: db.prepare<CounterState>(
      `UPDATE counters SET status = @status, staff_id = @staffId, ticket_id = @ticketId, pause_reason = @pauseReason,
         updated_at = @updatedAt WHERE id = @id`,
    ),
    // A new counter starts closed; a known one keeps its live state and takes the new name.
    upsert: db.prepare<{ id: string; name: string; at: number }>(
      `INSERT INTO counters(id, name, updated_at) VALUES (@id, @name, @at)
       ON CONFLICT(id) DO UPDATE SET name = excluded.name`,
    ),
  };

  return {
    get: (id: string): CounterRow | undefined => st.byId.get(id),
    all: (): CounterRow[] => st.all.all(),
    /** The counters that call tickets now (open or serving). */
    calling: (): CallingCounter[] => st.calling.all(),
    /** The counter where a person is seated, if any. */
    seatOf: (staffId: string): string | null => st.seatOf.get(staffId)?.id ?? null,
    /** The person seated at a counter, if any. */
    seatedPerson: (counterId: string): User | null => st.seated.get(counterId) ?? null,
    update: (state: CounterState): void => void st.update.run(state),
    /** Configured counters exist with their configured names; their live state is kept. */
    ensure(counters: readonly { id: string; name: string }[], at: number): void {
      for (const { id, name } of counters) st.upsert.run({ id, name, at });
    },
  };
}
