import type { IdentifiedCustomer } from '../../server/contract/kiosk.ts';

/**
 * How a customer flow ends: back to the attract screen, or handing the customer over to another flow
 * (self-service offered instead of a ticket, a ticket after a complaint or a self-service attempt).
 * The kiosk machine routes the hand-over; a flow never starts another itself.
 */
export type FlowOutput =
  | { next: 'attract' }
  | { next: 'ticket'; serviceId: string | null; customer: IdentifiedCustomer | null }
  | { next: 'self-service'; serviceId: string };
