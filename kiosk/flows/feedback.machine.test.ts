import { describe, expect, it, vi } from 'vitest';
import { createActor, fromPromise, SimulatedClock } from 'xstate';
import type { FeedbackAnswer, FeedbackRequest } from '../../server/contract/kiosk.ts';
import { feedbackMachine } from './feedback.machine.ts';
import { settle, unreachable } from './testing.ts';

function start(
  send?: (request: FeedbackRequest) => Promise<FeedbackAnswer>,
  complaintsServiceId: string | null = 'complaints',
) {
  const sendFeedback = vi.fn(send ?? (() => Promise.resolve({ id: 'fb1', reference: 'FB-0412-007' })));
  const actor = createActor(
    feedbackMachine.provide({ actors: { sendFeedback: fromPromise(({ input }) => sendFeedback(input)) } }),
    { input: { lang: 'zh', complaintsServiceId }, clock: new SimulatedClock() },
  );
  actor.start();
  return { actor, sendFeedback };
}

describe('feedback machine', () => {
  it('sends the kind and the chosen topics in the current language, and shows the reference', async () => {
    const t = start();
    t.actor.send({ type: 'KIND.CHOOSE', kind: 'suggestion' });
    t.actor.send({ type: 'TOPIC.TOGGLE', topic: 'waiting' });
    t.actor.send({ type: 'TOPIC.TOGGLE', topic: 'staff' });
    t.actor.send({ type: 'TOPIC.TOGGLE', topic: 'staff' });
    t.actor.send({ type: 'SETTINGS', lang: 'en', elderly: false });
    t.actor.send({ type: 'SUBMIT' });
    await settle();
    expect(t.sendFeedback).toHaveBeenCalledWith({ kind: 'suggestion', topics: ['waiting'], lang: 'en' });
    expect(t.actor.getSnapshot().value).toBe('thanks');
    expect(t.actor.getSnapshot().context.reference).toBe('FB-0412-007');
    t.actor.send({ type: 'TICKET.TAKE' });
    expect(t.actor.getSnapshot().value).toBe('thanks');
    t.actor.send({ type: 'FINISH' });
    expect(t.actor.getSnapshot().output).toEqual({ next: 'attract' });
  });

  it('needs at least one topic', () => {
    const t = start();
    t.actor.send({ type: 'KIND.CHOOSE', kind: 'praise' });
    t.actor.send({ type: 'SUBMIT' });
    expect(t.actor.getSnapshot().value).toBe('topics');
  });

  it('offers a ticket for the complaints desk after a complaint', async () => {
    const t = start();
    t.actor.send({ type: 'KIND.CHOOSE', kind: 'complaint' });
    t.actor.send({ type: 'TOPIC.TOGGLE', topic: 'billing' });
    t.actor.send({ type: 'SUBMIT' });
    await settle();
    t.actor.send({ type: 'TICKET.TAKE' });
    expect(t.actor.getSnapshot().output).toEqual({ next: 'ticket', serviceId: 'complaints', customer: null });
  });

  it('offers no complaints ticket in a hall without a complaints desk', async () => {
    const t = start(undefined, null);
    t.actor.send({ type: 'KIND.CHOOSE', kind: 'complaint' });
    t.actor.send({ type: 'TOPIC.TOGGLE', topic: 'billing' });
    t.actor.send({ type: 'SUBMIT' });
    await settle();
    t.actor.send({ type: 'TICKET.TAKE' });
    expect(t.actor.getSnapshot().value).toBe('thanks');
  });

  it('keeps the choices and says so when sending fails', async () => {
    const t = start(() => Promise.reject(unreachable()));
    t.actor.send({ type: 'KIND.CHOOSE', kind: 'complaint' });
    t.actor.send({ type: 'TOPIC.TOGGLE', topic: 'network' });
    t.actor.send({ type: 'SUBMIT' });
    await settle();
    expect(t.actor.getSnapshot().value).toBe('topics');
    expect(t.actor.getSnapshot().context).toMatchObject({ topics: ['network'], problem: 'unreachable' });
  });

  it('goes back a step at a time, then out', () => {
    const t = start();
    t.actor.send({ type: 'KIND.CHOOSE', kind: 'praise' });
    t.actor.send({ type: 'BACK' });
    expect(t.actor.getSnapshot().value).toBe('kind');
    t.actor.send({ type: 'BACK' });
    expect(t.actor.getSnapshot().output).toEqual({ next: 'attract' });
  });
});
