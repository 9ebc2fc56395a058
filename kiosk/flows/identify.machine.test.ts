import { describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { IdentifiedCustomer, IdentifyPhoneAnswer } from '../../server/contract/kiosk.ts';
import { type IdentityDeviceEvent, identifyMachine } from './identify.machine.ts';
import { refusal, settle, unreachable } from './testing.ts';

const customer: IdentifiedCustomer = {
  token: 'tok',
  maskedPhone: '138****5678',
  maskedName: '张*',
  tier: 'regular',
  age: 40,
};
const challenge: IdentifyPhoneAnswer = { challengeId: 'ch1', expiresInSeconds: 300, resendAfterSeconds: 60 };

function start(
  overrides: {
    requestCode?: () => Promise<IdentifyPhoneAnswer>;
    verifyCode?: (code: string) => Promise<IdentifiedCustomer>;
    redeemDeviceRead?: (readId: string) => Promise<IdentifiedCustomer>;
    required?: boolean;
  } = {},
) {
  const clock = new SimulatedClock();
  let deviceRead: ((e: IdentityDeviceEvent) => void) | null = null;
  const requestCode = vi.fn(overrides.requestCode ?? (() => Promise.resolve(challenge)));
  const verifyCode = vi.fn(overrides.verifyCode ?? (() => Promise.resolve(customer)));
  const redeem = vi.fn(overrides.redeemDeviceRead ?? (() => Promise.resolve(customer)));
  const actor = createActor(
    identifyMachine.provide({
      actors: {
        requestCode: fromPromise(() => requestCode()),
        verifyCode: fromPromise(({ input }) => verifyCode(input.code)),
        redeemDeviceRead: fromPromise(({ input }) => redeem(input.readId)),
        watchIdentityDevices: fromCallback(({ sendBack }) => {
          deviceRead = sendBack;
          return () => {
            deviceRead = null;
          };
        }),
      },
    }),
    { input: { required: overrides.required ?? false }, clock },
  );
  actor.start();
  const readDevice = (readId: string) => deviceRead?.({ type: 'DEVICE.READ', readId });
  return {
    actor,
    clock,
    requestCode,
    verifyCode,
    redeem,
    readDevice,
    devicesWatched: () => deviceRead !== null,
  };
}

async function toCodeStep(t: ReturnType<typeof start>) {
  t.actor.send({ type: 'PHONE.START' });
  t.actor.send({ type: 'PHONE.SUBMIT', phone: '13800005678' });
  await settle();
}

describe('identify machine', () => {
  it('identifies by phone and one-time code', async () => {
    const t = start();
    await toCodeStep(t);
    expect(t.actor.getSnapshot().matches({ phone: 'code' })).toBe(true);
    t.actor.send({ type: 'CODE.SUBMIT', code: '123456' });
    await settle();
    expect(t.verifyCode).toHaveBeenCalledWith('123456');
    expect(t.actor.getSnapshot().status).toBe('done');
    expect(t.actor.getSnapshot().output).toEqual({ outcome: 'identified', customer });
  });

  it('refuses a phone number that is not a mainland mobile without asking the server', () => {
    const t = start();
    t.actor.send({ type: 'PHONE.START' });
    t.actor.send({ type: 'PHONE.SUBMIT', phone: '12345' });
    expect(t.actor.getSnapshot().matches({ phone: 'entering' })).toBe(true);
    expect(t.actor.getSnapshot().context.problem).toBe('invalid-phone');
    expect(t.requestCode).not.toHaveBeenCalled();
  });

  it('explains when the number is not a customer and lets them type again', async () => {
    const t = start({ requestCode: () => Promise.reject(refusal(404, 'not-a-customer')) });
    await toCodeStep(t);
    expect(t.actor.getSnapshot().matches({ phone: 'entering' })).toBe(true);
    expect(t.actor.getSnapshot().context.problem).toBe('not-a-customer');
  });

  it('keeps a connection problem on screen instead of stranding the customer', async () => {
    const t = start({ requestCode: () => Promise.reject(unreachable()) });
    await toCodeStep(t);
    expect(t.actor.getSnapshot().matches({ phone: 'entering' })).toBe(true);
    expect(t.actor.getSnapshot().context.problem).toBe('unreachable');
  });

  it('stays on the code step after a wrong code', async () => {
    const t = start({ verifyCode: () => Promise.reject(refusal(409, 'wrong-code')) });
    await toCodeStep(t);
    t.actor.send({ type: 'CODE.SUBMIT', code: '000000' });
    await settle();
    expect(t.actor.getSnapshot().matches({ phone: 'code' })).toBe(true);
    expect(t.actor.getSnapshot().context.problem).toBe('wrong-code');
  });

  it('goes back to the number after an expired code', async () => {
    const t = start({ verifyCode: () => Promise.reject(refusal(410, 'code-expired')) });
    await toCodeStep(t);
    t.actor.send({ type: 'CODE.SUBMIT', code: '000000' });
    await settle();
    expect(t.actor.getSnapshot().matches({ phone: 'entering' })).toBe(true);
    expect(t.actor.getSnapshot().context.problem).toBe('code-expired');
  });

  it("offers a new code only after the server's cool-down", async () => {
    const t = start();
    await toCodeStep(t);
    t.actor.send({ type: 'CODE.RESEND' });
    expect(t.requestCode).toHaveBeenCalledTimes(1);
    t.clock.increment(59_999);
    expect(t.actor.getSnapshot().matches({ phone: { code: 'cooling' } })).toBe(true);
    t.clock.increment(1);
    expect(t.actor.getSnapshot().matches({ phone: { code: 'resendable' } })).toBe(true);
    t.actor.send({ type: 'CODE.RESEND' });
    await settle();
    expect(t.requestCode).toHaveBeenCalledTimes(2);
    expect(t.actor.getSnapshot().matches({ phone: { code: 'cooling' } })).toBe(true);
  });

  it('identifies by an ID card or member code read at any step', async () => {
    const t = start();
    await toCodeStep(t);
    t.readDevice('read-1');
    await settle();
    expect(t.redeem).toHaveBeenCalledWith('read-1');
    expect(t.actor.getSnapshot().output).toEqual({ outcome: 'identified', customer });
    expect(t.devicesWatched()).toBe(false);
  });

  it('returns to the choices when a device read cannot be redeemed', async () => {
    const t = start({ redeemDeviceRead: () => Promise.reject(refusal(404, 'unknown-read')) });
    t.readDevice('read-1');
    await settle();
    expect(t.actor.getSnapshot().matches('choosing')).toBe(true);
    expect(t.actor.getSnapshot().context.problem).toBe('unknown-read');
  });

  it('can be skipped when optional, but not when required', () => {
    const optional = start();
    optional.actor.send({ type: 'SKIP' });
    expect(optional.actor.getSnapshot().output).toEqual({ outcome: 'skipped' });

    const required = start({ required: true });
    required.actor.send({ type: 'SKIP' });
    expect(required.actor.getSnapshot().matches('choosing')).toBe(true);
  });

  it('goes back step by step, then out', async () => {
    const t = start();
    await toCodeStep(t);
    t.actor.send({ type: 'BACK' });
    expect(t.actor.getSnapshot().matches({ phone: 'entering' })).toBe(true);
    t.actor.send({ type: 'BACK' });
    expect(t.actor.getSnapshot().matches('choosing')).toBe(true);
    t.actor.send({ type: 'BACK' });
    expect(t.actor.getSnapshot().output).toEqual({ outcome: 'back' });
  });
});
