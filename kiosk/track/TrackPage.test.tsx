// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { CounterView, TicketView } from '../../server/contract/api.ts';
import { ticketView } from '../flows/fixtures.ts';
import { refusal } from '../flows/testing.ts';
import { TrackPage } from './TrackPage.tsx';
import { ticketIdFromPath } from './ticket-id.ts';
import { type TrackFeedEvent, trackMachine } from './track.machine.ts';

const counter3: CounterView = {
  id: '3',
  name: '3号窗口',
  status: 'serving',
  currentTicket: 'A012',
  currentSince: '2026-11-25T02:00:00.000Z',
  serviceIds: ['general'],
  pauseReason: null,
  staffName: null,
};

function show(answer: () => Promise<TicketView>, lang: 'zh' | 'en' = 'zh') {
  let answerNow = answer;
  const machine = trackMachine.provide({
    actors: {
      fetchTicket: fromPromise(() => answerNow()),
      cancelTicket: fromPromise(() => Promise.resolve(ticketView({ status: 'cancelled', position: 0 }))),
      watchHall: fromCallback(({ sendBack }) => {
        const send = (e: TrackFeedEvent) => sendBack(e);
        send({
          type: 'HALL.SNAPSHOT',
          hallName: { zh: '示范营业厅', en: 'Demo Hall' },
          services: [
            {
              id: 'general',
              prefix: 'A',
              name: { zh: '业务办理', en: 'General business' },
              open: true,
              waiting: 3,
              etaMinutes: 9,
              waitTargetMinutes: 15,
              longestWaitMinutes: 3,
            },
          ],
          counters: [counter3],
        });
        send({ type: 'HALL.CONNECTION', state: 'live' });
      }),
    },
  });
  const actor = createActor(machine, { input: { ticketId: 'tkt-1', lang }, clock: new SimulatedClock() });
  actor.start();
  render(<TrackPage actor={actor} />);
  return {
    actor,
    answerWith: (next: () => Promise<TicketView>) => {
      answerNow = next;
    },
  };
}

const tap = (name: string) => fireEvent.click(screen.getByRole('button', { name }));

afterEach(cleanup);

describe('tracking page', () => {
  it('shows the number, people ahead and the ETA, live', async () => {
    show(() => Promise.resolve(ticketView()));
    expect(await screen.findByText('A012')).toBeTruthy();
    expect(screen.getByText('前面还有 3 人')).toBeTruthy();
    expect(screen.getByText('预计等待约 12 分钟')).toBeTruthy();
    expect(screen.getByText('业务办理')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('实时更新中');
  });

  it('shows the forecast interval when the hall gives one', async () => {
    show(() => Promise.resolve(ticketView({ etaMinutes: 11, etaRange: { low: 8, high: 15 } })), 'en');
    expect(await screen.findByText('Estimated wait: about 8–15 min')).toBeTruthy();
    tap('中文');
    expect(await screen.findByText('预计等待约 8–15 分钟')).toBeTruthy();
  });

  it('tells the customer where to go when called, by the counter name from the snapshot', async () => {
    show(() => Promise.resolve(ticketView({ status: 'called', position: 0, counterId: '3' })));
    expect(await screen.findByText('请到 3号窗口')).toBeTruthy();
    tap('English');
    expect(await screen.findByText('Please go to counter 3')).toBeTruthy();
  });

  it('follows the ticket to its call', async () => {
    const t = show(() => Promise.resolve(ticketView()));
    await screen.findByText('前面还有 3 人');
    t.answerWith(() => Promise.resolve(ticketView({ status: 'called', position: 0, counterId: '3' })));
    t.actor.send({ type: 'HALL.CHANGED', mine: true });
    expect(await screen.findByText('请到 3号窗口')).toBeTruthy();
  });

  it('says the call was missed', async () => {
    show(() => Promise.resolve(ticketView({ status: 'no-show', position: 0 })), 'en');
    expect(await screen.findByText('You missed your call')).toBeTruthy();
    expect(screen.getByText('Please take a new ticket at the kiosk.')).toBeTruthy();
    expect(screen.queryByRole('button', { name: 'Cancel my ticket' })).toBeNull();
  });

  it('cancels after a confirmation', async () => {
    show(() => Promise.resolve(ticketView()));
    await screen.findByText('A012');
    tap('取消排队');
    expect(screen.getByRole('alertdialog')).toBeTruthy();
    tap('继续排队');
    expect(screen.queryByRole('alertdialog')).toBeNull();
    tap('取消排队');
    tap('确定取消');
    expect(await screen.findByText('此号已取消')).toBeTruthy();
    expect(screen.queryByRole('button', { name: '取消排队' })).toBeNull();
  });

  it('says so when the ticket is unknown', async () => {
    show(() => Promise.reject(refusal(404, 'not-found')));
    expect(await screen.findByText('找不到这张号票')).toBeTruthy();
  });
});

describe('ticketIdFromPath', () => {
  it.each([
    ['/t/abc123', 'abc123'],
    ['/t/abc123/', 'abc123'],
    ['/hall/t/abc%2D1', 'abc-1'],
    ['/t/', ''],
    ['/kiosk/', ''],
  ])('%s → "%s"', (path, id) => {
    expect(ticketIdFromPath(path)).toBe(id);
  });
});
