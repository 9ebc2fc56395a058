/**
 * "Your turn is near" (`/tickets/{id}/turn-alert` in docs/api.md): the holder of a waiting ticket asks on the phone page for a
 * text when TURN_ALERT_AHEAD people are ahead, to a number they type (the page shows the number they
 * identified with at the kiosk, masked, as a hint).
 *
 * The number is held in memory only, until the text is sent or the ticket leaves the line; the database
 * keeps the request with the number masked. A restart therefore loses the numbers: their requests turn
 * `lost`, and the page asks again. The queue is looked at after every ticket or counter event.
 */
import { TURN_ALERT_AHEAD, type TurnAlert } from '../contract/api.ts';
import { waitWording } from '../contract/wait-wording.ts';
import type { Db } from '../db/open.ts';
import { createTicketRepository } from '../db/tickets.ts';
import { createTurnAlertRepository, type TurnAlertRow } from '../db/turn-alerts.ts';
import type { Clock } from '../domain/clock.ts';
import { maskPhone } from '../integrations/privacy.ts';
import type { Sms } from '../integrations/sms/sms.ts';
import { type CommandPath, type Outcome, ok, refusal } from './command-path.ts';
import type { EventBus } from './event-bus.ts';
import type { Hall } from './hall.ts';

/** A holder may change the number a couple of times; more looks like someone testing numbers. */
export const TURN_ALERT_REQUESTS = 3;

export type TurnAlertsDeps = {
  db: Db;
  clock: Clock;
  hall: Pick<Hall, 'placeInLine' | 'serviceOutlook' | 'config'>;
  /** Heard for the queue's moves. */
  bus: EventBus;
  commands: CommandPath;
  sms: Sms;
  log: (line: Record<string, unknown>) => void;
};

export type TurnAlerts = ReturnType<typeof createTurnAlerts>;

export function createTurnAlerts(deps: TurnAlertsDeps) {
  const { db, clock, hall, commands } = deps;
  /** Ticket id → the number to text: never written anywhere. */
  const numbers = new Map<string, string>();
  const rows = createTurnAlertRepository(db);
  const tickets = createTicketRepository(db);
  // The numbers held before this start are gone with the process that held them.
  commands.run('turn-alerts-lost', () => rows.loseArmed());

  function view(ticketId: string): Outcome<TurnAlert> {
    const ticket = tickets.get(ticketId);
    if (!ticket) return refusal(404, 'ticket-not-found', 'no such ticket');
    const row = rows.get(ticketId);
    return ok({
      state: row?.state ?? 'none',
      maskedPhone: row?.phone_masked ?? null,
      identifiedPhone: ticket.phone_masked,
    });
  }

  function request(ticketId: string, phone: string): Outcome<TurnAlert> {
    const place = hall.placeInLine(ticketId);
    if (!place) return refusal(404, 'ticket-not-found', 'no such ticket');
    if (place.status !== 'waiting')
      return refusal(409, 'ticket-not-waiting', `${place.number} is ${place.status}, no longer in line`);
    if (place.position - 1 <= TURN_ALERT_AHEAD)
      return refusal(409, 'turn-already-near', `${place.number} has ${place.position - 1} ahead already`);
    if ((rows.get(ticketId)?.requests ?? 0) >= TURN_ALERT_REQUESTS)
      return refusal(429, 'too-many-requests', 'this ticket has asked for a text too often', {
        retryAfterSeconds: 3600,
      });
    const armed = commands.run('turn-alert', () =>
      rows.arm({ ticket_id: ticketId, phone_masked: maskPhone(phone), requested_at: clock.now() }),
    );
    if (!armed.ok) return armed;
    numbers.set(ticketId, phone);
    return view(ticketId);
  }

  function cancel(ticketId: string): Outcome<TurnAlert> {
    if (!hall.placeInLine(ticketId)) return refusal(404, 'ticket-not-found', 'no such ticket');
    const removed = commands.run('turn-alert-cancel', () => rows.remove(ticketId));
    if (!removed.ok) return removed;
    numbers.delete(ticketId);
    return view(ticketId);
  }

  /** Records how a request ended; it follows an event or a send, so it waits out a failing disk. */
  const settle = (state: TurnAlertRow['state'], at: number | null, ticketId: string) =>
    commands.later('turn-alert-settled', () => rows.settle({ ticket_id: ticketId, state, sent_at: at }));

  /** Texts whoever is near now; forgets the numbers of tickets that left the line. */
  function look(): void {
    for (const [ticketId, phone] of numbers) {
      const place = hall.placeInLine(ticketId);
      if (place?.status !== 'waiting') {
        numbers.delete(ticketId);
        settle('ended', null, ticketId);
      } else if (place.position - 1 <= TURN_ALERT_AHEAD) {
        numbers.delete(ticketId);
        void send(ticketId, phone, place);
      }
    }
  }

  async function send(
    ticketId: string,
    phone: string,
    place: { number: string; serviceId: string; position: number },
  ) {
    const name = hall.config.name;
    const { now, timeZone } = { now: clock.now(), timeZone: hall.config.timeZone };
    const said = waitWording(
      { position: place.position, etaMinutes: 0, outlook: hall.serviceOutlook(place.serviceId) },
      { now, timeZone },
    );
    const text =
      `【${name.zh}】您的号码 ${place.number}：${said.place.zh}，请回到大厅留意叫号。` +
      `${name.en}: ticket ${place.number}, ${said.place.en.toLowerCase()}. Please come back and watch the display.`;
    try {
      await deps.sms.send({ to: phone, text });
      settle('sent', clock.now(), ticketId);
    } catch (error) {
      settle('failed', null, ticketId);
      deps.log({ msg: 'sms failed', purpose: 'turn-alert', error: String(error) });
    }
  }

  const unsubscribe = deps.bus.subscribe((event) => {
    if (numbers.size > 0 && (event.type.startsWith('ticket.') || event.type === 'counter.updated')) look();
  });

  return { get: view, request, cancel, stop: unsubscribe };
}
