import { describe, expect, it, vi } from 'vitest';
import {
  type AnyActorRef,
  assign,
  createActor,
  fromCallback,
  fromPromise,
  SimulatedClock,
  type SnapshotFrom,
  setup,
} from 'xstate';
import type { Lang } from '../../server/contract/api.ts';
import type { feedbackMachine } from './feedback.machine.ts';
import { elderlyCustomer, hall, kioskView, ticketView } from './fixtures.ts';
import type { FlowOutput } from './flow-output.ts';
import { identifyMachine } from './identify.machine.ts';
import { type HallFeedEvent, type KioskSetup, kioskMachine } from './kiosk.machine.ts';
import type { selfServiceMachine } from './self-service.machine.ts';
import { settle, unreachable } from './testing.ts';
import { ticketMachine } from './ticket.machine.ts';

/** A stand-in flow: remembers its input and the settings it was sent, ends with the output it is told. */
const fakeFlow = setup({
  types: {
    input: {} as unknown,
    context: {} as { input: unknown; lang: Lang | null; result: FlowOutput },
    events: {} as { type: 'END'; output: FlowOutput } | { type: 'SETTINGS'; lang: Lang; elderly: boolean },
    output: {} as FlowOutput,
  },
}).createMachine({
  context: ({ input }) => ({ input, lang: null, result: { next: 'attract' } }),
  on: { SETTINGS: { actions: assign({ lang: ({ event }) => event.lang }) } },
  initial: 'running',
  states: {
    running: { on: { END: { target: 'ended', actions: assign({ result: ({ event }) => event.output }) } } },
    ended: { type: 'final' },
  },
  output: ({ context }) => context.result,
});

function start(
  options: { loadKiosk?: () => Promise<KioskSetup>; realTicketFlow?: boolean; idleMs?: number } = {},
) {
  const clock = new SimulatedClock();
  const loadKiosk = vi.fn(options.loadKiosk ?? (() => Promise.resolve({ hall, kiosk: kioskView })));
  const speak = vi.fn();
  const hush = vi.fn();
  let hallFeed: ((e: HallFeedEvent) => void) | null = null;
  let cardReader: ((e: { type: 'DEVICE.READ'; readId: string }) => void) | null = null;
  const realTicketFlow = ticketMachine.provide({
    actors: {
      issueTicket: fromPromise(() => Promise.resolve(ticketView())),
      fetchTicket: fromPromise(() => Promise.resolve(ticketView())),
      watchAppointmentScans: fromCallback(() => {}),
      watchIdentityDevices: fromCallback(() => {}),
      identify: identifyMachine.provide({
        actors: {
          redeemDeviceRead: fromPromise(() => Promise.resolve(elderlyCustomer)),
          watchIdentityDevices: fromCallback(() => {}),
        },
      }),
    },
  });
  const actor = createActor(
    kioskMachine.provide({
      actions: { speak: (_, prompt) => speak(prompt), hush: () => hush() },
      actors: {
        loadKiosk: fromPromise(() => loadKiosk()),
        watchHall: fromCallback(({ sendBack }) => {
          hallFeed = sendBack;
        }),
        watchActivity: fromCallback(() => {}),
        // Only the first screen listens here; the flows listen for themselves.
        watchIdentityDevices: fromCallback(({ sendBack }) => {
          cardReader = sendBack;
          return () => {
            cardReader = null;
          };
        }),
        // The stand-in has other events and context than the real flows; the kiosk only routes them.
        ticketFlow: options.realTicketFlow ? realTicketFlow : (fakeFlow as unknown as typeof ticketMachine),
        feedbackFlow: fakeFlow as unknown as typeof feedbackMachine,
        selfServiceFlow: fakeFlow as unknown as typeof selfServiceMachine,
      },
    }),
    { input: { kioskId: 'k1', idleMs: options.idleMs }, clock },
  );
  actor.start();
  const flow = (): AnyActorRef | undefined => actor.getSnapshot().children.flow;
  const running = (): AnyActorRef => {
    const ref = flow();
    if (!ref) throw new Error('no flow is running');
    return ref;
  };
  const fake = () => (running().getSnapshot() as SnapshotFrom<typeof fakeFlow>).context;
  const feed = (e: HallFeedEvent) => hallFeed?.(e);
  /** A card on the reader: false when nothing at the kiosk level listens. */
  const readCard = (readId: string) => {
    if (!cardReader) return false;
    cardReader({ type: 'DEVICE.READ', readId });
    return true;
  };
  return { actor, clock, loadKiosk, flow, running, fake, feed, speak, hush, readCard };
}

type Started = ReturnType<typeof start>;
const state = (t: Started) => t.actor.getSnapshot();

async function booted(options: Parameters<typeof start>[0] = {}) {
  const t = start(options);
  await settle();
  return t;
}

describe('kiosk machine: boot', () => {
  it('loads the hall and the kiosk configuration, then shows the attract screen', async () => {
    const t = await booted();
    expect(state(t).value).toBe('attract');
    expect(t.loadKiosk).toHaveBeenCalledOnce();
    expect(state(t).context.hall?.name.zh).toBe('示范营业厅');
  });

  it('keeps retrying with backoff while the server cannot be reached', async () => {
    let calls = 0;
    const t = await booted({
      loadKiosk: () =>
        ++calls < 3 ? Promise.reject(unreachable()) : Promise.resolve({ hall, kiosk: kioskView }),
    });
    expect(state(t).matches({ booting: 'waiting' })).toBe(true);
    t.clock.increment(1_000);
    await settle();
    expect(state(t).matches({ booting: 'waiting' })).toBe(true);
    t.clock.increment(2_000);
    await settle();
    expect(state(t).value).toBe('attract');
    expect(t.loadKiosk).toHaveBeenCalledTimes(3);
  });
});

describe('kiosk machine: live hall', () => {
  it('keeps the waiting figures, device states and connection from the event stream', async () => {
    const t = await booted();
    t.feed({ type: 'HALL.SERVICES', services: [] });
    t.feed({ type: 'HALL.DEVICE', id: 'printer-k1', status: 'paper-out' });
    t.feed({ type: 'HALL.DEVICE', id: 'someone-elses', status: 'offline' });
    t.feed({ type: 'HALL.CONNECTION', state: 'lost' });
    const { context } = state(t);
    expect(context.services).toEqual([]);
    expect(context.kiosk?.devices).toEqual([
      { id: 'printer-k1', kind: 'printer', status: 'paper-out' },
      { id: 'reader-k1', kind: 'id-reader', status: 'ok' },
    ]);
    expect(context.connection).toBe('lost');
  });

  it('takes a new hall configuration (a service added by the manager) without a restart', async () => {
    const t = await booted();
    const added = { ...hall.services[0]!, id: 'sim', prefix: 'S', name: { zh: 'SIM 卡', en: 'SIM cards' } };
    t.feed({ type: 'HALL.INFO', hall: { ...hall, services: [...hall.services, added] } });
    expect(state(t).context.hall?.services.map((s) => s.id)).toContain('sim');
    expect(state(t).value).toBe('attract');
  });
});

describe('kiosk machine: sessions', () => {
  it.each([
    ['TICKET.START', 'ticket'],
    ['APPOINTMENT.START', 'appointment'],
    ['FEEDBACK.START', 'feedback'],
    ['SELF_SERVICE.START', 'selfService'],
  ] as const)('%s starts the %s flow', async (type, flow) => {
    const t = await booted();
    t.actor.send({ type });
    expect(state(t).matches({ session: { flow } })).toBe(true);
    expect(t.flow()).toBeDefined();
  });

  it('starts a ticket at once for a service touched on the first screen, offering self-service where it fits', async () => {
    const t = await booted();
    t.actor.send({ type: 'TICKET.START', serviceId: 'payments' });
    expect(t.fake().input).toMatchObject({ serviceId: 'payments', offerSelfService: true, mode: 'walk-in' });
  });

  it('starts identifying by phone when asked on the first screen', async () => {
    const t = await booted();
    t.actor.send({ type: 'IDENTIFY.START' });
    expect(state(t).matches({ session: { flow: 'ticket' } })).toBe(true);
    expect(t.fake().input).toMatchObject({ serviceId: null, identify: { start: 'phone' } });
  });

  it('identifies a customer whose card is read while the first screen shows', async () => {
    const t = await booted();
    expect(t.readCard('read-1')).toBe(true);
    expect(state(t).matches({ session: { flow: 'ticket' } })).toBe(true);
    expect(t.fake().input).toMatchObject({ identify: { readId: 'read-1' } });
    // In a session the flow listens for itself.
    expect(t.readCard('read-2')).toBe(false);
  });

  it('gives the ticket flow the hall services, the language and the mode', async () => {
    const t = await booted();
    t.actor.send({ type: 'LANG.SET', lang: 'en' });
    t.actor.send({ type: 'APPOINTMENT.START' });
    expect(t.fake().input).toMatchObject({
      services: hall.services,
      lang: 'en',
      mode: 'appointment',
    });
  });

  it('forwards a language change to the running flow', async () => {
    const t = await booted();
    t.actor.send({ type: 'FEEDBACK.START' });
    t.actor.send({ type: 'LANG.SET', lang: 'en' });
    expect(state(t).context.lang).toBe('en');
    expect(t.fake().lang).toBe('en');
  });

  it('goes home when the flow ends or the customer asks', async () => {
    const t = await booted();
    t.actor.send({ type: 'TICKET.START' });
    t.running().send({ type: 'END', output: { next: 'attract' } });
    expect(state(t).value).toBe('attract');
    t.actor.send({ type: 'TICKET.START' });
    t.actor.send({ type: 'HOME' });
    expect(state(t).value).toBe('attract');
    expect(t.flow()).toBeUndefined();
  });

  it('hands a complaint over to a ticket for the complaints desk', async () => {
    const t = await booted();
    t.actor.send({ type: 'FEEDBACK.START' });
    t.running().send({ type: 'END', output: { next: 'ticket', serviceId: 'complaints', customer: null } });
    expect(state(t).matches({ session: { flow: 'ticket' } })).toBe(true);
    expect(t.fake().input).toMatchObject({ serviceId: 'complaints', customer: null });
  });

  it('hands a payments customer over to self-service, and back to a ticket with their identity', async () => {
    const t = await booted();
    t.actor.send({ type: 'TICKET.START' });
    t.running().send({ type: 'END', output: { next: 'self-service', serviceId: 'payments' } });
    expect(state(t).matches({ session: { flow: 'selfService' } })).toBe(true);
    expect(t.fake().input).toMatchObject({
      serviceId: 'payments',
      topUpAmountsFen: [3000, 5000, 10000],
    });
    t.running().send({
      type: 'END',
      output: { next: 'ticket', serviceId: 'payments', customer: elderlyCustomer },
    });
    expect(t.fake().input).toMatchObject({
      serviceId: 'payments',
      customer: elderlyCustomer,
    });
    expect(state(t).context.handoff?.customer).toEqual(elderlyCustomer);
    t.actor.send({ type: 'HOME' });
    expect(state(t).context.handoff).toBeNull();
  });

  it('switches to elderly mode when the flow says an elderly customer accepted it', async () => {
    const t = await booted({ realTicketFlow: true });
    t.readCard('card');
    await settle();
    expect((t.running().getSnapshot() as SnapshotFrom<typeof ticketMachine>).value).toBe('elderlyOffer');
    t.running().send({ type: 'ELDERLY.ACCEPT' });
    expect(state(t).context.elderly).toBe(true);
  });
});

describe('kiosk machine: idle', () => {
  it('warns after 30 s without a touch, then ends the session 10 s later and forgets everything', async () => {
    const t = await booted();
    t.actor.send({ type: 'TICKET.START' });
    t.actor.send({ type: 'LANG.SET', lang: 'en' });
    t.clock.increment(29_999);
    expect(state(t).matches({ session: { presence: 'active' } })).toBe(true);
    t.clock.increment(1);
    expect(state(t).matches({ session: { presence: 'stillThere' } })).toBe(true);
    t.clock.increment(9_999);
    expect(state(t).matches('session')).toBe(true);
    t.clock.increment(1);
    expect(state(t).value).toBe('attract');
    expect(t.flow()).toBeUndefined();
    expect(state(t).context).toMatchObject({ lang: 'zh', elderly: false, handoff: null });
  });

  it('gives an elderly customer twice the time, then forgets elderly mode with the rest', async () => {
    const t = await booted();
    t.actor.send({ type: 'ELDERLY.TOGGLE' });
    t.actor.send({ type: 'TICKET.START' });
    t.clock.increment(59_999);
    expect(state(t).matches({ session: { presence: 'active' } })).toBe(true);
    t.clock.increment(1);
    expect(state(t).matches({ session: { presence: 'stillThere' } })).toBe(true);
    t.clock.increment(19_999);
    expect(state(t).matches('session')).toBe(true);
    t.clock.increment(1);
    expect(state(t).context).toMatchObject({ elderly: false, handoff: null });
  });

  it('restarts the count on every touch, and a touch answers the warning', async () => {
    const t = await booted();
    t.actor.send({ type: 'TICKET.START' });
    t.clock.increment(20_000);
    t.actor.send({ type: 'ACTIVITY' });
    t.clock.increment(20_000);
    expect(state(t).matches({ session: { presence: 'active' } })).toBe(true);
    t.clock.increment(10_000);
    expect(state(t).matches({ session: { presence: 'stillThere' } })).toBe(true);
    t.actor.send({ type: 'ACTIVITY' });
    expect(state(t).matches({ session: { presence: 'active' } })).toBe(true);
    t.clock.increment(29_000);
    expect(state(t).matches({ session: { flow: 'ticket' } })).toBe(true);
  });

  it('uses the timeouts configured for the kiosk', async () => {
    const t = await booted({
      loadKiosk: () => Promise.resolve({ hall, kiosk: { ...kioskView, idleSeconds: 5, warningSeconds: 2 } }),
    });
    t.actor.send({ type: 'TICKET.START' });
    t.clock.increment(5_000);
    expect(state(t).matches({ session: { presence: 'stillThere' } })).toBe(true);
    t.clock.increment(2_000);
    expect(state(t).value).toBe('attract');
  });

  it('holds the idle reset while a flow has money in flight', async () => {
    const t = await booted();
    t.actor.send({ type: 'SELF_SERVICE.START' });
    t.actor.send({ type: 'PRESENCE.HOLD' });
    t.clock.increment(120_000);
    expect(state(t).matches({ session: { presence: 'held' } })).toBe(true);
    t.actor.send({ type: 'PRESENCE.RELEASE' });
    t.clock.increment(30_000);
    t.clock.increment(10_000);
    expect(state(t).value).toBe('attract');
  });

  it('puts language and elderly mode back to the defaults when the attract screen is left alone', async () => {
    const t = await booted();
    t.actor.send({ type: 'LANG.SET', lang: 'en' });
    t.actor.send({ type: 'ELDERLY.TOGGLE' });
    t.clock.increment(40_000);
    t.actor.send({ type: 'ACTIVITY' });
    t.clock.increment(40_000);
    expect(state(t).context).toMatchObject({ lang: 'en', elderly: true });
    t.clock.increment(20_000);
    expect(state(t).context).toMatchObject({ lang: 'zh', elderly: false });
  });
});

describe('kiosk machine: spoken prompts', () => {
  it('asks "still there?" aloud in elderly mode, and hushes when the session ends', async () => {
    const t = await booted();
    t.actor.send({ type: 'ELDERLY.TOGGLE' });
    expect(t.speak).toHaveBeenCalledWith({ prompt: 'choose-service', lang: 'zh' });
    t.actor.send({ type: 'TICKET.START' });
    t.clock.increment(60_000);
    expect(t.speak).toHaveBeenLastCalledWith({ prompt: 'still-there', lang: 'zh' });
    expect(t.hush).not.toHaveBeenCalled();
    t.clock.increment(20_000);
    expect(state(t).value).toBe('attract');
    expect(t.hush).toHaveBeenCalledOnce();
  });

  it('says nothing outside elderly mode, but still hushes at the end of every session', async () => {
    const t = await booted();
    t.actor.send({ type: 'TICKET.START' });
    t.clock.increment(30_000);
    t.actor.send({ type: 'HOME' });
    expect(t.speak).not.toHaveBeenCalled();
    expect(t.hush).toHaveBeenCalledOnce();
  });

  it('hushes when elderly mode is switched off during a session', async () => {
    const t = await booted();
    t.actor.send({ type: 'ELDERLY.TOGGLE' });
    t.actor.send({ type: 'TICKET.START' });
    t.actor.send({ type: 'ELDERLY.SET', on: true });
    expect(t.hush).not.toHaveBeenCalled();
    t.actor.send({ type: 'ELDERLY.SET', on: false });
    expect(t.hush).toHaveBeenCalledOnce();
  });
});
