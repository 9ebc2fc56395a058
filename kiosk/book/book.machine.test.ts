import { describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import type {
  AppointmentAnswer,
  AppointmentSlots,
  BookAppointmentRequest,
} from '../../server/contract/kiosk.ts';
import { hall } from '../flows/fixtures.ts';
import { refusal, settle, unreachable } from '../flows/testing.ts';
import { bookMachine } from './book.machine.ts';

const slotsOf = (day: string, times = ['10:00', '10:15']): AppointmentSlots => ({
  serviceId: 'general',
  day,
  days: ['2026-11-25', '2026-11-26'],
  slotMinutes: 15,
  slots: times.map((time) => ({ slot: `${day}T${time}:00+08:00`, time, remaining: 4 })),
});

const answer: AppointmentAnswer = {
  id: 'ap1',
  code: '123456',
  serviceId: 'general',
  slot: '2026-11-26T02:00:00.000Z',
  maskedPhone: '138****0001',
  checkInFrom: '2026-11-26T01:30:00.000Z',
  checkInUntil: '2026-11-26T02:15:00.000Z',
};

function start(
  fakes: { book?: () => Promise<AppointmentAnswer>; loadHall?: () => Promise<typeof hall> } = {},
) {
  const loadSlots = vi.fn((input: { serviceId: string; day?: string }) =>
    Promise.resolve(slotsOf(input.day ?? '2026-11-25')),
  );
  const book = vi.fn((_request: BookAppointmentRequest) => (fakes.book ?? (() => Promise.resolve(answer)))());
  const actor = createActor(
    bookMachine.provide({
      actors: {
        loadHall: fromPromise(fakes.loadHall ?? (() => Promise.resolve(hall))),
        loadSlots: fromPromise(({ input }) => loadSlots(input)),
        book: fromPromise(({ input }) => book(input)),
      },
    }),
    { input: { lang: 'zh' }, clock: new SimulatedClock() },
  );
  actor.start();
  return { actor, loadSlots, book, state: () => actor.getSnapshot() };
}

async function toPhone(t: ReturnType<typeof start>) {
  await settle();
  t.actor.send({ type: 'SERVICE.CHOOSE', serviceId: 'general' });
  await settle();
  t.actor.send({ type: 'DAY.CHOOSE', day: '2026-11-26' });
  await settle();
  t.actor.send({ type: 'SLOT.CHOOSE', slot: '2026-11-26T10:00:00+08:00' });
}

describe('book machine', () => {
  it('goes service → today’s slots → another day → slot → phone → the code', async () => {
    const t = start();
    expect(t.state().value).toBe('loading');
    await settle();
    expect(t.state().value).toBe('service');
    t.actor.send({ type: 'SERVICE.CHOOSE', serviceId: 'general' });
    await settle();
    expect(t.state().value).toEqual({ slots: 'choosing' });
    expect(t.loadSlots).toHaveBeenLastCalledWith({ serviceId: 'general', day: undefined });
    expect(t.state().context.day).toBe('2026-11-25');
    t.actor.send({ type: 'DAY.CHOOSE', day: '2026-11-26' });
    await settle();
    expect(t.loadSlots).toHaveBeenLastCalledWith({ serviceId: 'general', day: '2026-11-26' });
    t.actor.send({ type: 'SLOT.CHOOSE', slot: '2026-11-26T10:00:00+08:00' });
    expect(t.state().value).toBe('phone');
    t.actor.send({ type: 'PHONE.SUBMIT', phone: '13800000001' });
    expect(t.state().value).toBe('booking');
    await settle();
    expect(t.book).toHaveBeenCalledWith({
      serviceId: 'general',
      slot: '2026-11-26T10:00:00+08:00',
      phone: '13800000001',
      lang: 'zh',
    });
    expect(t.state().value).toBe('booked');
    expect(t.state().context.answer?.code).toBe('123456');
    t.actor.send({ type: 'AGAIN' });
    expect(t.state().value).toBe('service');
    expect(t.state().context).toMatchObject({ serviceId: null, answer: null, slot: null });
  });

  it('goes back to fresh slots, saying why, when the slot filled up meanwhile', async () => {
    const t = start({ book: () => Promise.reject(refusal(409, 'slot-full')) });
    await toPhone(t);
    t.actor.send({ type: 'PHONE.SUBMIT', phone: '13800000001' });
    await settle();
    expect(t.state().value).toEqual({ slots: 'choosing' });
    expect(t.state().context.problem).toBe('slot-full');
    expect(t.loadSlots).toHaveBeenLastCalledWith({ serviceId: 'general', day: '2026-11-26' });
    t.actor.send({ type: 'SLOT.CHOOSE', slot: '2026-11-26T10:15:00+08:00' });
    expect(t.state().context.problem).toBeNull();
  });

  it('stays on the phone step with the reason for other refusals and when the server is away', async () => {
    for (const error of [
      refusal(409, 'too-many-appointments'),
      refusal(429, 'too-many-requests'),
      unreachable(),
    ]) {
      const t = start({ book: () => Promise.reject(error) });
      await toPhone(t);
      t.actor.send({ type: 'PHONE.SUBMIT', phone: '13800000001' });
      await settle();
      expect(t.state().value).toBe('phone');
      expect(t.state().context.problem).toBe(error.code);
      expect(t.state().context.phone).toBe('13800000001');
    }
  });

  it('offers a retry when the hall cannot be loaded, and goes back a step at a time', async () => {
    let calls = 0;
    const t = start({
      loadHall: () => (++calls === 1 ? Promise.reject(unreachable()) : Promise.resolve(hall)),
    });
    await settle();
    expect(t.state().value).toBe('failed');
    expect(t.state().context.problem).toBe('unreachable');
    t.actor.send({ type: 'RETRY' });
    await settle();
    expect(t.state().value).toBe('service');
    await toPhone(t);
    t.actor.send({ type: 'BACK' });
    expect(t.state().value).toEqual({ slots: 'choosing' });
    t.actor.send({ type: 'BACK' });
    expect(t.state().value).toBe('service');
  });
});
