// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { CounterView, TicketView, TurnAlert } from '../../server/contract/api.ts';
import { ticketView } from '../flows/fixtures.ts';
import { refusal } from '../flows/testing.ts';
import { ticketIdFromPath } from './ticket-id.ts';
import { type AlertsEnabled, type TrackFeedEvent, trackMachine } from './track.machine.ts';
import { TrackPage } from './track-page.tsx';

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

const noText: TurnAlert = { state: 'none', maskedPhone: null, identifiedPhone: '138****0001' };

function show(answer: () => Promise<TicketView>, lang: 'zh' | 'en' = 'zh') {
  let answerNow = answer;
  const enableAlerts = vi.fn(() => Promise.resolve<AlertsEnabled>({ sound: true, notifications: 'denied' }));
  const requestTurnAlert = vi.fn(({ phone }: { phone: string }) =>
    Promise.resolve<TurnAlert>({
      ...noText,
      state: 'armed',
      maskedPhone: `${phone.slice(0, 3)}****${phone.slice(7)}`,
    }),
  );
  const machine = trackMachine.provide({
    actors: {
      fetchTicket: fromPromise(() => answerNow()),
      cancelTicket: fromPromise(() => Promise.resolve(ticketView({ status: 'cancelled', position: 0 }))),
      enableAlerts: fromPromise(() => enableAlerts()),
      fetchTurnAlert: fromPromise(() => Promise.resolve(noText)),
      requestTurnAlert: fromPromise(({ input }) => requestTurnAlert(input)),
      cancelTurnAlert: fromPromise(() => Promise.resolve(noText)),
      watchHall: fromCallback(({ sendBack }) => {
        const send = (e: TrackFeedEvent) => sendBack(e);
        send({
          type: 'HALL.SNAPSHOT',
          hallName: { zh: '示范营业厅', en: 'Demo Hall' },
          timeZone: 'Asia/Shanghai',
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
    enableAlerts,
    requestTurnAlert,
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
    expect(screen.getByText('预计等待：约 12 分钟')).toBeTruthy();
    expect(screen.getByText('按近期办理速度估算')).toBeTruthy();
    expect(screen.getByText('业务办理')).toBeTruthy();
    expect(screen.getByRole('status').textContent).toBe('实时更新中');
    await vi.waitFor(() => expect(document.title).toBe('A012 · 前面还有 3 人'));
  });

  it('says the counters are not open, and promises no time, while no open counter serves the ticket', async () => {
    const closed = { servedNow: false, pausedCounters: 0, expectedOpenAt: '2026-11-26T01:00:00Z' };
    show(() => Promise.resolve(ticketView({ position: 1, etaMinutes: 0, outlook: closed })));
    expect(await screen.findByText('您排在第 1 位')).toBeTruthy();
    expect(screen.getByText(/该业务窗口暂未开放，预计 .*09:00 开始办理/)).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/下一位|约 0 分钟|即将叫号|预计等待/);
  });

  it('asks for one tap to turn sound and notifications on, and says what the phone allowed', async () => {
    const t = show(() => Promise.resolve(ticketView()));
    await screen.findByText('A012');
    tap('开启声音和通知');
    expect(await screen.findByText(/已开启：轮到您时此页响铃并振动。/)).toBeTruthy();
    expect(screen.getByText(/系统通知未获允许/)).toBeTruthy();
    expect(t.enableAlerts).toHaveBeenCalledOnce();
  });

  it('changes the tab title when the ticket is called', async () => {
    const t = show(() => Promise.resolve(ticketView()));
    await screen.findByText('A012');
    t.answerWith(() => Promise.resolve(ticketView({ status: 'called', position: 0, counterId: '3' })));
    t.actor.send({ type: 'HALL.CHANGED', mine: true });
    await screen.findByText('请到 3号窗口');
    await vi.waitFor(() => expect(document.title).toBe('请到 3号窗口 · A012'));
  });

  it('asks for a text when the turn is near, to a typed number, with the identified one as a hint', async () => {
    const t = show(() => Promise.resolve(ticketView({ position: 8 })));
    await screen.findByText('前面还有 7 人');
    expect(screen.getByText('您在取号机识别时用的号码是 138****0001')).toBeTruthy();
    const submit = screen.getByRole('button', { name: '开启短信提醒' }) as HTMLButtonElement;
    expect(submit.disabled).toBe(true);
    fireEvent.input(screen.getByLabelText('前面还剩 3 人时，发短信到：'), {
      target: { value: '139-1234-5678' },
    });
    expect(submit.disabled).toBe(false);
    fireEvent.click(submit);
    expect(await screen.findByText('已开启：前面剩 3 人时发短信至 139****5678')).toBeTruthy();
    expect(t.requestTurnAlert).toHaveBeenCalledWith({ id: 'tkt-1', phone: '13912345678' });
  });

  it('offers no text when the turn is near already', async () => {
    show(() => Promise.resolve(ticketView({ position: 3 })));
    await screen.findByText('前面还有 2 人');
    expect(screen.queryByRole('button', { name: '开启短信提醒' })).toBeNull();
  });

  it('shows the forecast interval when the hall gives one', async () => {
    show(() => Promise.resolve(ticketView({ etaMinutes: 11, etaRange: { low: 8, high: 15 } })), 'en');
    expect(await screen.findByText('Estimated wait: about 8–15 min')).toBeTruthy();
    tap('中文');
    expect(await screen.findByText('预计等待：约 8–15 分钟')).toBeTruthy();
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
