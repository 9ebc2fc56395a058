import type { PrintTicket } from '../../server/app/hall.ts';
import type { PrintReceipt, ReceiptData } from '../../server/app/kiosk-common.ts';
import { createKioskServices } from '../../server/app/kiosk-services.ts';
import type { HallConfig } from '../../server/config.ts';
import { DEMO_HALL } from '../../server/config.ts';
import type { Bss } from '../../server/integrations/bss/bss.ts';
import { createDemoBss, seedDemoBss } from '../../server/integrations/bss/demo-bss.ts';
import { SimulatedPaymentTerminal } from '../../server/integrations/payment/simulated-terminal.ts';
import { createSmsOutbox, type Sms } from '../../server/integrations/sms/sms.ts';
import { testHall } from './test-hall.ts';

/**
 * The kiosk's services on a test hall (real migrations, manual clock): the demo BSS seeded, an SMS
 * outbox whose messages are also kept in `texts`, a simulated terminal answering at once, and a
 * receipt printer that records what it printed (or fails, when told to).
 */
export function testKiosk(
  options: {
    config?: HallConfig;
    start?: number;
    demo?: boolean;
    terminal?: SimulatedPaymentTerminal | null;
    bss?: (real: Bss) => Bss;
    sms?: Sms;
    printReceipt?: PrintReceipt;
    paymentGuardMs?: number;
    printTicket?: PrintTicket;
  } = {},
) {
  const config = options.config ?? DEMO_HALL;
  const base = testHall({ config, start: options.start, printTicket: options.printTicket });
  seedDemoBss(base.db, base.clock, config.timeZone);
  const outbox = createSmsOutbox(base.db, base.clock);
  const texts: { to: string; text: string }[] = [];
  const sms: Sms = options.sms ?? {
    async send(message) {
      texts.push(message);
      await outbox.send(message);
    },
  };
  const terminal = options.terminal === undefined ? new SimulatedPaymentTerminal() : options.terminal;
  const receipts: { kioskId: string; receipt: ReceiptData }[] = [];
  const printReceipt: PrintReceipt =
    options.printReceipt ??
    (async (kioskId, receipt) => {
      receipts.push({ kioskId, receipt });
      return { ok: true };
    });
  const logs: Record<string, unknown>[] = [];
  const realBss = createDemoBss(base.db, base.clock);
  const kiosk = createKioskServices({
    db: base.db,
    clock: base.clock,
    config,
    commands: base.commands,
    demo: options.demo ?? true,
    log: (line) => logs.push(line),
    hall: base.hall,
    bss: options.bss ? options.bss(realBss) : realBss,
    sms,
    paymentTerminal: () => terminal,
    printReceipt,
    paymentGuardMs: options.paymentGuardMs,
    simulatedPayment: terminal ?? undefined,
    smsOutbox: outbox,
  });
  /** The code of the newest text message to this phone. */
  const lastCode = (phone: string) => {
    const text = texts.filter((t) => t.to === phone).at(-1)?.text ?? '';
    return /(\d{6})/.exec(text)?.[1] ?? '';
  };
  return { ...base, kiosk, terminal, receipts, texts, outbox, logs, lastCode, config };
}

/** Everything in the database as one string, to look for personal data kept in clear. */
export function databaseText(db: ReturnType<typeof testHall>['db'], except: string[] = []): string {
  const tables = db
    .prepare<[], { name: string }>("SELECT name FROM sqlite_master WHERE type = 'table'")
    .all()
    .map((t) => t.name)
    .filter((t) => !except.includes(t));
  return tables.map((t) => JSON.stringify(db.prepare(`SELECT * FROM "${t}"`).all())).join('\n');
}
