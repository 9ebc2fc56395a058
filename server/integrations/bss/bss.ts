/**
 * The operator's BSS/CRM as HallQ needs it: find a customer, read their account, sell them a top-up,
 * a bill payment or an add-on pack. The embedded default is the demo BSS (`demo-bss.ts`) on the hall's
 * own SQLite; a real operator's system is adapted to this interface and chosen in server/main.ts.
 *
 * Guarantees every implementation gives:
 * - Lookups answer `null` for "no such customer / period / invoice"; they throw only when the BSS
 *   cannot be asked (network, outage) — the caller shows "try again later", never "not a customer".
 * - Money calls (`topUp`, `payBill`, `buyPack`) are idempotent by `orderId`: a second call with an
 *   order id already seen changes nothing and answers what the first call answered. HallQ retries a
 *   credit after a crash or an outage under the same order id, so this is what keeps money single.
 * - Answers carry masked personal data only (`138****0001`, `张*`): nothing a screen may not show.
 */
import type { Text } from '../../contract/api.ts';
import type { AccountSummary, AddOnPack } from '../../contract/kiosk.ts';

export type { AccountSummary, AddOnPack };

/**
 * How the kiosk names a customer. `idNumberHash` is `hashIdNumber(hallSalt, number)` from
 * `../privacy.ts`: the full ID number never leaves the card reader's driver. An adapter to a BSS that
 * looks customers up by the number itself must keep its own index of these hashes.
 */
export type BssCustomerQuery =
  | { phone: string }
  | { idNumberHash: string }
  | { memberCode: string }
  | { customerId: string };

export type BssCustomer = {
  /** The BSS's own reference; HallQ stores it to act for the customer, never shows it. */
  customerId: string;
  maskedPhone: string | null;
  maskedName: string;
  age: number | null;
  /** A star (VIP) customer: served at the VIP service or with the VIP tier. */
  star: boolean;
};

/** An invoice as printed on the kiosk's receipt printer. */
export type BssInvoice = {
  period: string;
  number: string;
  lines: { label: Text; amountFen: number }[];
  totalFen: number;
};

export type BssRefusal =
  | 'insufficient-balance'
  | 'bill-already-paid'
  | 'amount-mismatch'
  | 'unknown-period'
  | 'unknown-pack'
  | 'unknown-customer';

/** The outcome of a money call. `amountFen` is what was credited or charged. */
export type BssCredit =
  | { ok: true; reference: string; amountFen: number; balanceFen: number }
  | { ok: false; reason: BssRefusal };

export interface Bss {
  findCustomer(query: BssCustomerQuery): Promise<BssCustomer | null>;
  account(customerId: string): Promise<AccountSummary | null>;
  packs(customerId: string): Promise<AddOnPack[]>;
  invoice(customerId: string, period: string): Promise<BssInvoice | null>;
  /** Credits money the customer paid at the terminal. */
  topUp(order: { orderId: string; customerId: string; amountFen: number }): Promise<BssCredit>;
  /** Settles a bill with money the customer paid at the terminal; the amount must be the bill's. */
  payBill(order: {
    orderId: string;
    customerId: string;
    period: string;
    amountFen: number;
  }): Promise<BssCredit>;
  /** Charges a pack to the account balance (the customer confirmed on screen). */
  buyPack(order: { orderId: string; customerId: string; packId: string }): Promise<BssCredit>;
}
