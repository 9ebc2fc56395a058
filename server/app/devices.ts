/**
 * The hall's serial peripherals, wired to the queue. Every device acts through the same command path as
 * a person: a keypad's NEXT is the seated person's "call next", a rating pad's answer is a rating of the
 * ticket just finished. The hall's events drive the outputs: each call shows (and blinks) on that
 * counter's LED screen and keypad.
 */
import type {
  Hardware,
  KeypadDriver,
  KeypadPress,
  LedDriver,
  PaymentTerminalDriver,
  PaymentResult as TerminalResult,
} from '../../hardware/index.ts';
import type { DeviceConfig } from '../contract/devices.ts';
import type { HallEvent } from '../contract/events.ts';
import type { PaymentResult, PaymentTerminal } from '../integrations/payment/payment.ts';
import type { Outcome } from './command-path.ts';
import type { EventBus } from './event-bus.ts';
import type { Hall } from './hall.ts';
import type { KioskServices } from './kiosk-services.ts';
import { AMOUNT_MISMATCH } from './order-payments.ts';

type Log = (line: Record<string, unknown>) => void;

/** Seconds an LED screen blinks a new call. */
const BLINK_SECONDS = 5;

/**
 * Connects every configured device to the hall. Returns the function that disconnects the listeners
 * (the hardware itself is closed by its owner); a changed device list is wired by disconnecting and
 * connecting again.
 */
export function connectDevices(deps: {
  hardware: Hardware<DeviceConfig>;
  hall: Hall;
  kiosk: KioskServices;
  bus: EventBus;
  log: Log;
}): () => void {
  const { hardware, hall, kiosk, bus, log } = deps;
  const stops: (() => void)[] = [];
  const warn = (msg: string, fields: Record<string, unknown>) => log({ msg, level: 'warn', ...fields });

  const keypads = new Map<string, KeypadDriver[]>();
  const leds = new Map<string, LedDriver[]>();
  for (const device of hardware.devices.values()) {
    const { counterId, kioskId } = device.config;
    if (device.kind === 'keypad' && counterId) {
      keypads.set(counterId, [...(keypads.get(counterId) ?? []), device.driver]);
      stops.push(device.driver.onPress((press) => onKeypad(counterId, device.driver, press)));
    } else if (device.kind === 'led' && counterId) {
      leds.set(counterId, [...(leds.get(counterId) ?? []), device.driver]);
    } else if (device.kind === 'rating-pad' && counterId) {
      const pad = device.driver;
      stops.push(
        bus.subscribe((e) => {
          if (e.type === 'ticket.finished' && e.data.ticket.counterId === counterId && e.data.rating === null)
            pad
              .ask(e.data.ticket.number)
              .catch((error: unknown) =>
                warn('rating pad not asked', { device: device.id, error: String(error) }),
              );
        }),
      );
      stops.push(
        pad.onRating((r) => {
          const rated = hall.rateFinished(counterId, r.ticketNumber, {
            score: r.score,
            dimensions: r.dimensions,
          });
          if (!rated.ok) warn('rating not stored', { device: device.id, code: rated.code });
        }),
      );
    } else if (device.kind === 'id-reader' && kioskId) {
      stops.push(device.driver.onCard((card) => void record(kioskId, { kind: 'id-card', ...card })));
    } else if (device.kind === 'scanner' && kioskId) {
      stops.push(device.driver.onScan((code) => void record(kioskId, { kind: 'scan', code })));
    } else if (device.kind === 'payment' && kioskId) {
      stops.push(
        device.driver.onResult((report) => {
          if (report.kind === 'paid')
            kiosk.recordPaymentResult(report.orderId, {
              outcome: 'paid',
              reference: report.reference,
              amountFen: report.amountFen,
            });
        }),
      );
    }
  }

  async function record(
    kioskId: string,
    read: Parameters<KioskServices['recordDeviceRead']>[1],
  ): Promise<void> {
    try {
      await kiosk.recordDeviceRead(kioskId, read);
    } catch (error) {
      warn('device read not recorded', { kiosk: kioskId, kind: read.kind, error: String(error) });
    }
  }

  /** The keypad acts for the person seated at its counter; nobody seated, nothing happens. */
  function onKeypad(counterId: string, keypad: KeypadDriver, press: KeypadPress): void {
    const actor = hall.seatedActor(counterId);
    if (!actor) {
      void show([keypad], '请先开窗 Counter closed');
      return;
    }
    let outcome: Outcome<unknown>;
    switch (press.key) {
      case 'NEXT':
        outcome = hall.callNext(counterId, actor);
        if (outcome.ok && outcome.value === null) void show([keypad], '无人等候 Nobody waiting');
        break;
      case 'RECALL':
        outcome = hall.recall(counterId, actor);
        break;
      case 'NOSHOW':
        outcome = hall.noShow(counterId, actor);
        break;
      case 'FINISH':
        outcome = hall.finish(counterId, actor);
        break;
      case 'PAUSE':
        outcome = hall.pauseCounter(counterId, actor, 'break');
        break;
      case 'RESUME':
        outcome = hall.resumeCounter(counterId, actor);
        break;
      case 'XFER': {
        const service = hall.config.services.find((s) => s.prefix === press.servicePrefix);
        outcome = service
          ? hall.transfer(counterId, actor, service.id)
          : {
              ok: false,
              status: 404,
              code: 'service-not-found',
              message: `no service with prefix ${press.servicePrefix}`,
            };
        break;
      }
    }
    if (!outcome.ok) void show([keypad], outcome.message.slice(0, 40));
  }

  function show(drivers: (KeypadDriver | LedDriver)[], text: string): Promise<void> {
    return Promise.all(
      drivers.map((d) =>
        d
          .show(text)
          .catch((error: unknown) => warn('device did not take SHOW', { text, error: String(error) })),
      ),
    ).then(() => {});
  }

  /** What each counter's screens say after each event at that counter. */
  function onHallEvent(e: HallEvent): void {
    if (e.type === 'ticket.called' || e.type === 'ticket.recalled') {
      const { counterId, number } = e.data.call;
      const screens = leds.get(counterId) ?? [];
      void show([...screens, ...(keypads.get(counterId) ?? [])], number).then(() =>
        Promise.all(screens.map((led) => led.blink(BLINK_SECONDS).catch(() => {}))),
      );
    } else if (e.type === 'counter.updated') {
      const { id, status, currentTicket } = e.data.counter;
      const text =
        status === 'closed'
          ? ''
          : status === 'paused'
            ? '暂停服务 Paused'
            : (currentTicket ?? '欢迎 Welcome');
      for (const led of leds.get(id) ?? []) (text ? led.show(text) : led.clear()).catch(() => {});
    }
  }
  stops.push(bus.subscribe(onHallEvent));

  return () => {
    for (const stop of stops) stop();
  };
}

/** How long a terminal has to close a payment after acknowledging its CANCEL. */
const CANCEL_ANSWER_MS = 5_000;

/**
 * A serial payment terminal as the kiosk's PaymentTerminal. An amount the terminal reports differently
 * from the one asked means money may have moved: the order is not credited and the customer is sent to
 * staff (the self-service journal keeps the terminal's reference for them).
 */
export function serialPaymentTerminal(driver: PaymentTerminalDriver): PaymentTerminal {
  return {
    async pay(orderId, amountFen): Promise<PaymentResult> {
      const result: TerminalResult = await driver.pay(orderId, amountFen);
      if (result.ok) return { outcome: 'paid', reference: result.reference, amountFen: result.amountFen };
      switch (result.problem) {
        case 'declined':
          return {
            outcome: 'declined',
            reason: { zh: `支付未成功：${result.detail}`, en: `Payment declined: ${result.detail}` },
          };
        case 'cancelled':
          return { outcome: 'cancelled' };
        case 'timeout':
          return { outcome: 'timeout' };
        case 'amount-mismatch':
          return { outcome: 'declined', reason: AMOUNT_MISMATCH };
      }
    },
    /** True when the terminal abandoned the payment and took nothing (hardware: `cancelAndConfirm`). */
    cancel: (orderId) => driver.cancelAndConfirm(orderId, CANCEL_ANSWER_MS),
  };
}

/** A demo customer at a simulated device, as the installer page and the browser tests ask for it. */
export type SimulatedAction =
  | { action: 'press'; key: 'NEXT' | 'RECALL' | 'NOSHOW' | 'FINISH' | 'PAUSE' | 'RESUME' }
  | { action: 'transfer'; servicePrefix: string }
  | { action: 'rate'; score: number }
  | { action: 'card'; card: { name: string; idNumber: string; birthDate: string; sexCode: '1' | '2' } | null }
  | { action: 'scan'; code: string }
  | { action: 'printer'; paperOut: boolean; paperNearEnd: boolean; coverOpen: boolean };

/**
 * The devices as the manager's devices page sees them, and — for simulated ones — a hand on each: the
 * simulator then sends its real bytes down its cable, so the demo exercises the same code as a hall.
 */
export function deviceConsole(hardware: Hardware<DeviceConfig>) {
  /** How a device is connected and the counter or kiosk it serves, from its configuration. */
  const wiring = (id: string) => {
    const config = hardware.devices.get(id)?.config;
    if (!config) return { connection: id === 'printer' ? hardware.printerUri : null };
    const connection = config.path ?? (config.vendorId ? `usb ${config.vendorId}:${config.productId}` : null);
    return {
      connection: connection && config.baudRate ? `${connection} @ ${config.baudRate}` : connection,
      ...(config.counterId && { counterId: config.counterId }),
      ...(config.kioskId && { kioskId: config.kioskId }),
    };
  };
  return {
    status: () => hardware.health().map((h) => ({ ...h, ...wiring(h.id) })),
    /** The last printed tickets decoded to text (simulated printer only; null for a real one). */
    recentPrints: () => hardware.printerSimulator?.recentTickets() ?? null,

    /** False when the device is unknown, real, or of another kind than the action needs. */
    async simulate(deviceId: string, act: SimulatedAction): Promise<boolean> {
      if (act.action === 'printer') {
        if (deviceId !== 'printer' || !hardware.printerSimulator) return false;
        hardware.printerSimulator.setFaults(act);
        return true;
      }
      const device = hardware.devices.get(deviceId);
      if (!device?.simulator) return false;
      if (device.kind === 'keypad' && act.action === 'press') await device.simulator.press(act.key);
      else if (device.kind === 'keypad' && act.action === 'transfer')
        await device.simulator.press({ key: 'XFER', servicePrefix: act.servicePrefix });
      else if (device.kind === 'rating-pad' && act.action === 'rate') {
        const number = device.simulator.askedFor();
        if (!number) return false;
        await device.simulator.rate(number, act.score);
      } else if (device.kind === 'id-reader' && act.action === 'card') {
        if (act.card === null) device.simulator.removeCard();
        else device.simulator.placeCard({ ...act.card, birthDate: act.card.birthDate.replaceAll('-', '') });
      } else if (device.kind === 'scanner' && act.action === 'scan') await device.simulator.scan(act.code);
      else return false;
      return true;
    },
  };
}

export type DeviceConsole = ReturnType<typeof deviceConsole>;
