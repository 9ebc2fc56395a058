/**
 * The rows of "your turn is near" requests, one per ticket. The number to text is never stored: a row
 * keeps its masked form, and `armed` only while the running process holds the number itself.
 */
import type { TurnAlertState } from '../contract/api.ts';
import type { Db } from './open.ts';

export type TurnAlertRow = {
  ticket_id: string;
  phone_masked: string;
  state: Exclude<TurnAlertState, 'none'>;
  /** How often the ticket's holder asked (a changed number is asked for again). */
  requests: number;
  requested_at: number;
  sent_at: number | null;
};

export type TurnAlertRepository = ReturnType<typeof createTurnAlertRepository>;

export function createTurnAlertRepository(db: Db) {
  const st = {
    get: db.prepare<[string], TurnAlertRow>('SELECT * FROM turn_alerts WHERE ticket_id = ?'),
    arm: db.prepare<Pick<TurnAlertRow, 'ticket_id' | 'phone_masked' | 'requested_at'>>(
      `INSERT INTO turn_alerts(ticket_id, phone_masked, state, requested_at)
       VALUES (@ticket_id, @phone_masked, 'armed', @requested_at)
       ON CONFLICT(ticket_id) DO UPDATE SET phone_masked = excluded.phone_masked, state = 'armed',
         requests = requests + 1, requested_at = excluded.requested_at, sent_at = NULL`,
    ),
    settle: db.prepare<Pick<TurnAlertRow, 'ticket_id' | 'state' | 'sent_at'>>(
      'UPDATE turn_alerts SET state = @state, sent_at = @sent_at WHERE ticket_id = @ticket_id',
    ),
    remove: db.prepare<[string]>('DELETE FROM turn_alerts WHERE ticket_id = ?'),
    loseArmed: db.prepare("UPDATE turn_alerts SET state = 'lost' WHERE state = 'armed'"),
  };

  return {
    get: (ticketId: string): TurnAlertRow | undefined => st.get.get(ticketId),
    /** Arms the ticket's request (again, with this number, counting one more request). */
    arm: (request: Pick<TurnAlertRow, 'ticket_id' | 'phone_masked' | 'requested_at'>) =>
      void st.arm.run(request),
    /** How an armed request ended: sent (at `sent_at`), failed or ended with the ticket. */
    settle: (settled: Pick<TurnAlertRow, 'ticket_id' | 'state' | 'sent_at'>) => void st.settle.run(settled),
    remove: (ticketId: string) => void st.remove.run(ticketId),
    /** Every armed request turns `lost`: the numbers were held by a process that is gone. */
    loseArmed: () => void st.loseArmed.run(),
  };
}
