import { describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { TicketView } from '../../server/contract/api.ts';
import type { IdentifiedCustomer } from '../../server/contract/kiosk.ts';
import { elderlyCustomer, hall, ticketView } from './fixtures.ts';
import { identifyMachine } from './identify.machine.ts';
import { refusal, settle, unreachable } from './testing.ts';
import {
  type AppointmentScanEvent,
  PRINT_PATIENCE_MS,
  PRINT_POLL_MS,
  type TicketFlowInput,
  type TicketRequest,
  ticketMachine,
} from './ticket.machine.ts';

type Fakes = {
  issueTicket?: (request: TicketRequest) => Promise<TicketView>;
  fetchTicket?: () => Promise<TicketView>;
  verifyCode?: () => Promise<IdentifiedCustomer>;
};

function start(input: Partial<TicketFlowInput> = {}, fakes: Fakes = {}) {
  const clock = new SimulatedClock();
  const issueTicket = vi.fn(fakes.issueTicket ?? (() => Promise.resolve(ticketView())));
  const fetchTicket = vi.fn(fakes.fetchTicket ?? (() => Promise.resolve(ticketView())));
  const tellKioskElderly = vi.fn();
  const speak = vi.fn();
  let scan: ((e: AppointmentScanEvent) => void) | null = null;
  let read: ((e: { type: 'DEVICE.READ'; readId: string }) => void) | null = null;
  const machine = ticketMachine.provide({
    actions: { tellKioskElderly, speak: (_, prompt) => speak(prompt) },
    actors: {
      issueTicket: fromPromise(({ input }) => issueTicket(input)),
      fetchTicket: fromPromise(() => fetchTicket()),
      watchAppointmentScans: fromCallback(({ sendBack }) => {
        scan = sendBack;
      }),
      watchIdentityDevices: fromCallback(({ sendBack }) => {
        read = sendBack;
        return () => {
          read = null;
        };
      }),
      identify: identifyMachine.provide({
        actors: {
          requestCode: fromPromise(() =>
            Promise.resolve({ challengeId: 'c', expiresInSeconds: 300, resendAfterSeconds: 60 }),
          ),
          verifyCode: fromPromise(() => (fakes.verifyCode ?? (() => Promise.resolve(elderlyCustomer)))()),
          redeemDeviceRead: fromPromise(() => Promise.resolve(elderlyCustomer)),
          watchIdentityDevices: fromCallback(() => {}),
        },
      }),
    },
  });
  const actor = createActor(machine, {
    input: { services: hall.services, lang: 'zh', elderly: false, mode: 'walk-in', ...input },
    clock,
  });
  actor.start();
  const identify = () => {
    const child = actor.getSnapshot().children.identify;
    if (!child) throw new Error('not identifying');
    return child;
  };
  const scanAppointment = (readId: string) => scan?.({ type: 'APPOINTMENT.SCANNED', readId });
  /** A card on the reader (or a member code on the scanner) while the flow listens; false when it does not. */
  const readCard = (readId: string) => {
    if (!read) return false;
    read({ type: 'DEVICE.READ', readId });
    return true;
  };
  return {
    ...{ actor, clock, issueTicket, fetchTicket, tellKioskElderly, speak, identify, scanAppointment },
    readCard,
  };
}

type Started = ReturnType<typeof start>;
const state = (t: Started) => t.actor.getSnapshot();

/** Walk-in: the customer touches a service on the list. */
function choose(t: Started, serviceId = 'general') {
  t.actor.send({ type: 'SERVICE.CHOOSE', serviceId });
}

describe('ticket machine: walk-in', () => {
  it('issues the ticket for a service touched on the first screen at once: issue → print → done', async () => {
    const t = start({ serviceId: 'general', offerSelfService: true });
    expect(state(t).matches({ issuing: 'sending' })).toBe(true);
    await settle();
    expect(state(t).value).toBe('done');
    expect(state(t).context.ticket?.number).toBe('A012');
    expect(t.issueTicket).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'walk-in', serviceId: 'general', customer: null, lang: 'zh' }),
    );
    t.actor.send({ type: 'FINISH' });
    expect(state(t).status).toBe('done');
    expect(state(t).output).toEqual({ next: 'attract' });
  });

  it('issues from the service list with one touch', async () => {
    const t = start();
    expect(state(t).value).toBe('services');
    choose(t);
    await settle();
    expect(state(t).value).toBe('done');
    expect(t.issueTicket).toHaveBeenCalledOnce();
  });

  it('identifies by a card read on the service list, then issues with the customer and the language on screen', async () => {
    const t = start();
    expect(t.readCard('card')).toBe(true);
    await settle();
    expect(state(t).value).toBe('elderlyOffer');
    t.actor.send({ type: 'ELDERLY.DECLINE' });
    expect(state(t).value).toBe('services');
    expect(state(t).context.customer).toEqual(elderlyCustomer);
    t.actor.send({ type: 'SETTINGS', lang: 'en', elderly: false });
    choose(t);
    await settle();
    expect(t.issueTicket).toHaveBeenCalledWith(
      expect.objectContaining({ customer: elderlyCustomer, lang: 'en' }),
    );
  });

  it('begins identifying with a read made on the first screen, or at the phone number when asked there', async () => {
    const t = start({ identify: { readId: 'card' } });
    await settle();
    expect(state(t).value).toBe('elderlyOffer');
    const u = start({ identify: { start: 'phone' } });
    expect(u.identify().getSnapshot().matches({ phone: 'entering' })).toBe(true);
    u.identify().send({ type: 'BACK' });
    expect(state(u).value).toBe('services');
  });

  it('ignores a service the hall does not have', () => {
    const t = start();
    choose(t, 'nope');
    expect(state(t).value).toBe('services');
    expect(t.issueTicket).not.toHaveBeenCalled();
  });

  it('leaves the service list for the first screen', () => {
    const t = start();
    t.actor.send({ type: 'BACK' });
    expect(state(t).output).toEqual({ next: 'attract' });
  });

  it('offers self-service first for a service it covers (one more touch), and a ticket if the customer still wants one', async () => {
    const t = start({ serviceId: 'payments', offerSelfService: true });
    expect(state(t).value).toBe('selfServiceOffer');
    t.actor.send({ type: 'TICKET.CONTINUE' });
    await settle();
    expect(state(t).value).toBe('done');
    expect(t.issueTicket).toHaveBeenCalledWith(expect.objectContaining({ serviceId: 'payments' }));
  });

  it('hands over to self-service when the customer takes the offer', () => {
    const t = start();
    choose(t, 'payments');
    t.actor.send({ type: 'SELF_SERVICE.START' });
    expect(state(t).output).toEqual({ next: 'self-service', serviceId: 'payments' });
  });

  it('identifies by a card read while self-service is offered', async () => {
    const t = start({ serviceId: 'payments', offerSelfService: true });
    t.readCard('card');
    await settle();
    expect(state(t).context.customer).toEqual(elderlyCustomer);
  });

  it('offers elderly mode to a customer identified as elderly, and tells the kiosk on yes', async () => {
    const t = start();
    t.actor.send({ type: 'IDENTIFY.PHONE' });
    t.identify().send({ type: 'PHONE.SUBMIT', phone: '13900000001' });
    await settle();
    t.identify().send({ type: 'CODE.SUBMIT', code: '123456' });
    await settle();
    expect(state(t).value).toBe('elderlyOffer');
    t.actor.send({ type: 'ELDERLY.ACCEPT' });
    expect(state(t).value).toBe('services');
    expect(state(t).context.elderly).toBe(true);
    expect(t.tellKioskElderly).toHaveBeenCalledOnce();
  });

  it('does not offer elderly mode to a regular customer', async () => {
    const t = start(
      {},
      { verifyCode: () => Promise.resolve({ ...elderlyCustomer, tier: 'regular', age: 30 }) },
    );
    t.actor.send({ type: 'IDENTIFY.PHONE' });
    t.identify().send({ type: 'PHONE.SUBMIT', phone: '13900000001' });
    await settle();
    t.identify().send({ type: 'CODE.SUBMIT', code: '123456' });
    await settle();
    expect(state(t).value).toBe('services');
    expect(state(t).context.customer?.tier).toBe('regular');
  });

  it('in elderly mode skips the self-service offer', async () => {
    const t = start({ elderly: true, serviceId: 'payments', offerSelfService: true });
    await settle();
    expect(state(t).value).toBe('done');
  });

  it('issues at once for a service handed over by another flow, with its customer, offering nothing back', async () => {
    const t = start({ serviceId: 'payments', customer: elderlyCustomer });
    await settle();
    expect(state(t).value).toBe('done');
    expect(t.issueTicket).toHaveBeenCalledWith(
      expect.objectContaining({ serviceId: 'payments', customer: elderlyCustomer }),
    );
  });

  it('shows the refusal when the server says no (e.g. the service closed), and lets the customer choose again', async () => {
    const t = start({}, { issueTicket: () => Promise.reject(refusal(409, 'service-closed')) });
    choose(t);
    await settle();
    expect(state(t).value).toBe('refused');
    expect(state(t).context.problem).toBe('service-closed');
    t.actor.send({ type: 'BACK' });
    expect(state(t).value).toBe('services');
    expect(state(t).context.problem).toBeNull();
  });
});

describe('ticket machine: server unreachable', () => {
  it('retries with backoff under the same Idempotency-Key until the server answers', async () => {
    let calls = 0;
    const t = start(
      {},
      {
        issueTicket: () => (++calls < 4 ? Promise.reject(unreachable()) : Promise.resolve(ticketView())),
      },
    );
    choose(t);
    await settle();
    expect(state(t).matches({ issuing: 'reconnecting' })).toBe(true);
    t.clock.increment(999);
    expect(t.issueTicket).toHaveBeenCalledTimes(1);
    t.clock.increment(1); // 1 s after the first failure
    await settle();
    expect(t.issueTicket).toHaveBeenCalledTimes(2);
    t.clock.increment(1_999);
    await settle();
    expect(t.issueTicket).toHaveBeenCalledTimes(2);
    t.clock.increment(1); // then 2 s
    await settle();
    expect(t.issueTicket).toHaveBeenCalledTimes(3);
    t.clock.increment(4_000); // then 4 s
    await settle();
    expect(t.issueTicket).toHaveBeenCalledTimes(4);
    expect(state(t).value).toBe('done');
    const keys = new Set(t.issueTicket.mock.calls.map(([request]) => request.attemptKey));
    expect(keys.size).toBe(1);
    expect([...keys][0]).toMatch(/^[0-9a-f]{32}$/);
  });

  it('treats a 5xx answer like an outage', async () => {
    const t = start({}, { issueTicket: () => Promise.reject(refusal(503, 'storage-unavailable')) });
    choose(t);
    await settle();
    expect(state(t).matches({ issuing: 'reconnecting' })).toBe(true);
  });

  it('lets the customer retry at once or give up while reconnecting', async () => {
    const t = start({}, { issueTicket: () => Promise.reject(unreachable()) });
    choose(t);
    await settle();
    t.actor.send({ type: 'RETRY_NOW' });
    await settle();
    expect(t.issueTicket).toHaveBeenCalledTimes(2);
    expect(t.issueTicket.mock.calls[0]?.[0].attemptKey).toBe(t.issueTicket.mock.calls[1]?.[0].attemptKey);
    t.actor.send({ type: 'BACK' });
    expect(state(t).output).toEqual({ next: 'attract' });
  });

  it('uses a new key for a new attempt after a refusal', async () => {
    let calls = 0;
    const t = start(
      {},
      {
        issueTicket: () =>
          ++calls === 1 ? Promise.reject(refusal(409, 'service-closed')) : Promise.resolve(ticketView()),
      },
    );
    choose(t);
    await settle();
    t.actor.send({ type: 'BACK' });
    choose(t);
    await settle();
    expect(t.issueTicket.mock.calls[0]?.[0].attemptKey).not.toBe(t.issueTicket.mock.calls[1]?.[0].attemptKey);
  });
});

describe('ticket machine: printing', () => {
  it('polls the print state until the paper is out', async () => {
    const answers = [ticketView({ print: 'pending' }), ticketView({ print: 'printed' })];
    const t = start(
      {},
      {
        issueTicket: () => Promise.resolve(ticketView({ print: 'pending' })),
        fetchTicket: () => Promise.resolve(answers.shift() ?? ticketView()),
      },
    );
    choose(t);
    await settle();
    expect(state(t).matches({ printing: 'waiting' })).toBe(true);
    t.clock.increment(PRINT_POLL_MS);
    await settle();
    expect(state(t).matches({ printing: 'waiting' })).toBe(true);
    t.clock.increment(PRINT_POLL_MS);
    await settle();
    expect(state(t).value).toBe('done');
    expect(state(t).context.ticket?.print).toBe('printed');
    expect(t.fetchTicket).toHaveBeenCalledTimes(2);
  });

  it('lets the customer finish while the print is still settling', async () => {
    const t = start(
      {},
      {
        issueTicket: () => Promise.resolve(ticketView({ print: 'pending' })),
        fetchTicket: () => Promise.resolve(ticketView({ print: 'pending' })),
      },
    );
    choose(t);
    await settle();
    expect(state(t).matches('printing')).toBe(true);
    t.actor.send({ type: 'FINISH' });
    expect(state(t).status).toBe('done');
  });

  it('shows the ticket when the printer fails (out of paper)', async () => {
    const t = start(
      {},
      {
        issueTicket: () => Promise.resolve(ticketView({ print: 'pending' })),
        fetchTicket: () => Promise.resolve(ticketView({ print: 'failed', printProblem: 'paper-out' })),
      },
    );
    choose(t);
    await settle();
    t.clock.increment(PRINT_POLL_MS);
    await settle();
    expect(state(t).value).toBe('done');
    expect(state(t).context.ticket).toMatchObject({
      number: 'A012',
      print: 'failed',
      printProblem: 'paper-out',
    });
  });

  it('stops waiting for a printer that never answers, and for a server that stopped answering', async () => {
    const t = start(
      {},
      {
        issueTicket: () => Promise.resolve(ticketView({ print: 'pending' })),
        fetchTicket: () => Promise.reject(unreachable()),
      },
    );
    choose(t);
    await settle();
    for (let waited = 0; waited < PRINT_PATIENCE_MS - PRINT_POLL_MS; waited += PRINT_POLL_MS) {
      t.clock.increment(PRINT_POLL_MS);
      await settle();
      expect(state(t).matches('printing')).toBe(true);
    }
    t.clock.increment(PRINT_POLL_MS);
    await settle();
    expect(state(t).value).toBe('done');
    expect(state(t).context.ticket?.print).toBe('pending');
  });
});

describe('ticket machine: appointment check-in', () => {
  it('checks in a typed code', async () => {
    const t = start(
      { mode: 'appointment' },
      { issueTicket: () => Promise.resolve(ticketView({ tier: 'appointment' })) },
    );
    expect(state(t).value).toBe('appointment');
    t.actor.send({ type: 'CODE.SUBMIT', code: 'AB12CD' });
    await settle();
    expect(t.issueTicket).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'appointment', code: 'AB12CD' }),
    );
    expect(state(t).value).toBe('done');
  });

  it('checks in a scanned appointment QR', async () => {
    const t = start({ mode: 'appointment' });
    t.scanAppointment('read-7');
    await settle();
    expect(t.issueTicket).toHaveBeenCalledWith(
      expect.objectContaining({ kind: 'appointment', readId: 'read-7' }),
    );
  });

  it.each(['too-early', 'too-late', 'unknown-appointment'] as const)(
    'explains %s and offers a walk-in ticket',
    async (code) => {
      const t = start({ mode: 'appointment' }, { issueTicket: () => Promise.reject(refusal(409, code)) });
      t.actor.send({ type: 'CODE.SUBMIT', code: 'AB12CD' });
      await settle();
      expect(state(t).value).toBe('appointment');
      expect(state(t).context.problem).toBe(code);
      t.actor.send({ type: 'WALK_IN' });
      expect(state(t).value).toBe('services');
      expect(state(t).context.problem).toBeNull();
    },
  );

  it('retries a check-in through an outage', async () => {
    let calls = 0;
    const t = start(
      { mode: 'appointment' },
      { issueTicket: () => (++calls === 1 ? Promise.reject(unreachable()) : Promise.resolve(ticketView())) },
    );
    t.actor.send({ type: 'CODE.SUBMIT', code: 'AB12CD' });
    await settle();
    expect(state(t).matches({ issuing: 'reconnecting' })).toBe(true);
    t.clock.increment(1_000);
    await settle();
    expect(state(t).value).toBe('done');
    expect(t.issueTicket.mock.calls[1]?.[0]).toEqual(t.issueTicket.mock.calls[0]?.[0]);
  });

  it('leaves from the code step, or goes to the services for a walk-in ticket', () => {
    const t = start({ mode: 'appointment' });
    t.actor.send({ type: 'WALK_IN' });
    expect(state(t).value).toBe('services');
    const u = start({ mode: 'appointment' });
    u.actor.send({ type: 'BACK' });
    expect(state(u).output).toEqual({ next: 'attract' });
  });
});

describe('ticket machine: leaving a refusal', () => {
  it('goes home from a refusal', async () => {
    const t = start({}, { issueTicket: () => Promise.reject(refusal(400, 'invalid-request')) });
    choose(t);
    await settle();
    t.actor.send({ type: 'FINISH' });
    expect(state(t).output).toEqual({ next: 'attract' });
  });
});

describe('ticket machine: spoken prompts (elderly mode)', () => {
  it('says each step once on entering it, and the number when it is issued', async () => {
    const t = start({ elderly: true });
    expect(t.speak.mock.calls).toEqual([[{ prompt: 'choose-service', lang: 'zh' }]]);
    choose(t);
    await settle();
    expect(t.speak).toHaveBeenLastCalledWith({ prompt: 'your-number', lang: 'zh', number: 'A012' });
    t.clock.increment(PRINT_PATIENCE_MS);
    expect(t.speak).toHaveBeenCalledTimes(2);
  });

  it('speaks the language on screen, and asks for the appointment code', () => {
    const t = start({ mode: 'appointment', elderly: true, lang: 'en' });
    expect(t.speak).toHaveBeenCalledWith({ prompt: 'appointment-code', lang: 'en' });
    t.actor.send({ type: 'SETTINGS', lang: 'zh', elderly: true });
    t.actor.send({ type: 'WALK_IN' });
    expect(t.speak).toHaveBeenLastCalledWith({ prompt: 'choose-service', lang: 'zh' });
  });

  it('stays silent outside elderly mode, and starts speaking once the customer accepts it', async () => {
    const t = start({ identify: { readId: 'card' } });
    await settle();
    expect(state(t).value).toBe('elderlyOffer');
    expect(t.speak).not.toHaveBeenCalled();
    t.actor.send({ type: 'ELDERLY.ACCEPT' });
    expect(t.speak.mock.calls).toEqual([[{ prompt: 'choose-service', lang: 'zh' }]]);
  });
});
