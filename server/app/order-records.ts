/**
 * The records of self-service orders: their rows, the journal every step of every order is appended to
 * (`transactions`), the order as the kiosk sees it, and the background work (payments, credits,
 * receipts) still running for them.
 */
import type { Order } from '../contract/kiosk.ts';
import { createOrderRepository, type OrderRow } from '../db/orders.ts';
import { localTime } from '../domain/hall-time.ts';
import { type KioskDeps, textOf } from './kiosk-common.ts';

export type OrderRecords = ReturnType<typeof createOrderRecords>;

export function createOrderRecords(deps: KioskDeps) {
  const { db, clock, config } = deps;
  const rows = createOrderRepository(db);

  /** Background work (payments, credits, receipts) still running; tests and shutdown wait for it. */
  const running = new Set<Promise<unknown>>();
  const track = (work: Promise<unknown>) => {
    const p = work
      .catch((error: unknown) =>
        deps.log({
          msg: 'self-service task failed',
          error: error instanceof Error ? error.stack : String(error),
        }),
      )
      .finally(() => running.delete(p));
    running.add(p);
  };

  /** Resolves when the background work started so far has finished (tests, orderly shutdown). */
  async function idle(): Promise<void> {
    while (running.size > 0) await Promise.all([...running]);
  }

  function journal(
    row: Pick<OrderRow, 'id' | 'kiosk_id' | 'customer_ref' | 'kind'> | null,
    step: string,
    extra: {
      amountFen?: number | null;
      reference?: string | null;
      detail?: string | null;
      kind?: 'invoice';
    } = {},
    context: { kioskId?: string; customerRef?: string | null } = {},
  ): void {
    const at = clock.now();
    write(`journal ${step}`, () =>
      rows.appendJournal({
        at,
        day: localTime(at, config.timeZone).day,
        order_id: row?.id ?? null,
        kiosk_id: row?.kiosk_id ?? context.kioskId ?? null,
        customer_ref: row?.customer_ref ?? context.customerRef ?? null,
        kind: extra.kind ?? row?.kind ?? 'other',
        step,
        amount_fen: extra.amountFen ?? null,
        reference: extra.reference ?? null,
        detail: extra.detail ?? null,
      }),
    );
  }

  /**
   * A write of an order's course on the command path. On a failing disk it is not made: the order keeps
   * the state it had (`recover` and the credit retries look at it again), and the log says so.
   */
  function write<T>(name: string, body: () => T): T | null {
    const outcome = deps.commands.run(name, body);
    if (outcome.ok) return outcome.value;
    deps.log({ msg: 'order write failed', level: 'error', write: name, code: outcome.code });
    return null;
  }

  function view(row: OrderRow): Order {
    return {
      id: row.id,
      kind: row.kind,
      amountFen: row.amount_fen,
      status: row.status,
      problem: textOf(row.problem_zh, row.problem_en),
      reference: row.reference,
      receipt: row.receipt_state,
    };
  }

  return { rows, track, idle, journal, write, view };
}
