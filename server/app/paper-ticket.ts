/**
 * The paper ticket's words: the printer lays out what the server says (hardware/printer/layout.ts), and
 * the server says what every screen says (server/contract/wait-wording.ts) — the place in line, then the
 * wait or, while no open counter serves the service, why there is none. The paper keeps one figure.
 */
import type { TicketLayoutData } from '../../hardware/printer/layout.ts';
import { waitWording } from '../contract/wait-wording.ts';
import type { Hall, TicketPrintData } from './hall.ts';

/** `hall` tells the service's outlook now; the service is the one whose prefix begins the number. */
export function paperTicket(
  data: TicketPrintData,
  hall: Pick<Hall, 'config' | 'serviceOutlook'>,
): TicketLayoutData {
  const { peopleAhead, etaMinutes, ...rest } = data;
  const service = hall.config.services.find((s) => data.number.startsWith(s.prefix));
  const said = waitWording(
    { position: peopleAhead + 1, etaMinutes, outlook: service && hall.serviceOutlook(service.id) },
    { now: data.issuedAt, timeZone: data.timeZone },
  );
  const second = said.estimate ?? said.basis;
  return { ...rest, wait: second ? [said.place, second] : [said.place] };
}
