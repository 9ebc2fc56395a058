/** What the kiosk's use cases share: their dependencies, the receipt printer seam and kiosk events. */
import { randomBytes } from 'node:crypto';
import type { HallConfig } from '../config.ts';
import type { PrintState, Text } from '../contract/api.ts';
import type { ServerEvents } from '../contract/events.ts';
import type { CustomerTier, KioskDevice } from '../contract/kiosk.ts';
import type { Db } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import type { Bss } from '../integrations/bss/bss.ts';
import type { PaymentTerminal } from '../integrations/payment/payment.ts';
import type { Sms } from '../integrations/sms/sms.ts';
import { type CommandPath, refusal } from './command-path.ts';
import type { Hall } from './hall.ts';

/**
 * A receipt or invoice as plain data: the hardware lays it out (hardware/printer/layout.ts
 * `ReceiptLayoutData` has the same shape). Amounts in fen; `issuedAt` is an ISO instant printed in
 * the hall's `timeZone`.
 */
export type ReceiptData = {
  title: string;
  lines: { label: string; amountFen: number }[];
  totalFen: number;
  reference: string;
  issuedAt: string;
  timeZone: string;
};

/**
 * Prints at the receipt printer of a kiosk. Like `PrintTicket`: it settles within seconds, resolves
 * `{ok:false, problem}` (or rejects) when the paper did not come out, and never retries by itself.
 */
export type PrintReceipt = (
  kioskId: string,
  receipt: ReceiptData,
) => Promise<{ ok: true } | { ok: false; problem: string }>;

export type KioskDeps = {
  db: Db;
  clock: Clock;
  config: HallConfig;
  commands: CommandPath;
  demo: boolean;
  log: (line: Record<string, unknown>) => void;
  hall: Hall;
  bss: Bss;
  sms: Sms;
  /** The payment terminal of a kiosk, or null when it has none (self-service payments are refused). */
  paymentTerminal: (kioskId: string) => PaymentTerminal | null;
  printReceipt: PrintReceipt;
  /** The devices attached to a kiosk and their status now; a default is derived from the configuration. */
  kioskDevices?: (kioskId: string) => KioskDevice[];
  /** How long the server waits for a terminal that never answers before it calls the order timed out. */
  paymentGuardMs?: number;
};

export function newId(): string {
  return randomBytes(16).toString('base64url');
}

/** Star customers are VIPs; otherwise 65 and older are elderly. */
export function tierOf(star: boolean, age: number | null): CustomerTier {
  if (star) return 'vip';
  if (age !== null && age >= 65) return 'elderly';
  return 'regular';
}

export const BSS_UNAVAILABLE = refusal(
  503,
  'bss-unavailable',
  'the account system cannot be reached just now: try again in a moment',
);

/** Runs a BSS call; an outage becomes a 503 refusal instead of an unhandled error. */
export async function askBss<T>(deps: Pick<KioskDeps, 'log'>, what: string, call: () => Promise<T>) {
  try {
    return { ok: true as const, value: await call() };
  } catch (error) {
    deps.log({
      msg: 'bss call failed',
      call: what,
      error: error instanceof Error ? error.message : String(error),
    });
    return BSS_UNAVAILABLE;
  }
}

/**
 * Appends a kiosk event to the event log and publishes it after the commit, like the hall's commands.
 * `write` runs in the same transaction (e.g. the device read the event announces).
 */
export function appendKioskEvent<N extends 'kiosk.id-card' | 'kiosk.scan'>(
  deps: Pick<KioskDeps, 'commands'>,
  type: N,
  data: ServerEvents[N],
  write: () => void = () => {},
) {
  return deps.commands.run(type, (tx) => {
    write();
    tx.record(type, data as never);
  });
}

export type PrintOutcome = { print: PrintState; printProblem: string | null };

/** Prints a receipt and says how it went; a printer that throws is a failed print, never a crash. */
export async function printAt(
  deps: Pick<KioskDeps, 'printReceipt'>,
  kioskId: string,
  receipt: ReceiptData,
): Promise<{ print: 'printed' | 'failed'; printProblem: string | null }> {
  const result = await deps.printReceipt(kioskId, receipt).catch((error: unknown) => ({
    ok: false as const,
    problem: error instanceof Error ? error.message : String(error),
  }));
  return result.ok
    ? { print: 'printed', printProblem: null }
    : { print: 'failed', printProblem: result.problem };
}

export const textOf = (zh: string | null, en: string | null): Text | null =>
  zh !== null && en !== null ? { zh, en } : null;
