// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { TicketView } from '../../server/contract/api.ts';
import { ApiError } from '../../server/contract/client.ts';
import type {
  AddOnPack,
  IdentifyPhoneAnswer,
  InvoiceAnswer,
  KioskView,
} from '../../server/contract/kiosk.ts';
import { feedbackMachine } from '../flows/feedback.machine.ts';
import { account, elderlyCustomer, hall, kioskView, order, ticketView } from '../flows/fixtures.ts';
import { identifyMachine } from '../flows/identify.machine.ts';
import { kioskMachine } from '../flows/kiosk.machine.ts';
import { selfServiceMachine } from '../flows/self-service.machine.ts';
import { settle, unreachable } from '../flows/testing.ts';
import { ticketMachine } from '../flows/ticket.machine.ts';
import { KioskApp } from './kiosk-app.tsx';

const services = hall.services.map((s, i) => ({
  id: s.id,
  prefix: s.prefix,
  name: s.name,
  open: true,
  waiting: i + 2,
  etaMinutes: (i + 2) * 3,
  waitTargetMinutes: 15,
  longestWaitMinutes: 4,
}));

function startKiosk(
  fakes: {
    issueTicket?: () => Promise<TicketView>;
    fetchTicket?: () => Promise<TicketView>;
    requestCode?: () => Promise<IdentifyPhoneAnswer>;
    kiosk?: KioskView;
  } = {},
) {
  const clock = new SimulatedClock();
  const identify = identifyMachine.provide({
    actors: {
      requestCode: fromPromise(
        fakes.requestCode ??
          (() => Promise.resolve({ challengeId: 'c1', expiresInSeconds: 300, resendAfterSeconds: 60 })),
      ),
      verifyCode: fromPromise(() => Promise.resolve(elderlyCustomer)),
      redeemDeviceRead: fromPromise(() => Promise.resolve(elderlyCustomer)),
      watchIdentityDevices: fromCallback(() => {}),
    },
  });
  const machine = kioskMachine.provide({
    actors: {
      loadKiosk: fromPromise(() => Promise.resolve({ hall, kiosk: fakes.kiosk ?? kioskView })),
      watchHall: fromCallback(({ sendBack }) => {
        sendBack({ type: 'HALL.SERVICES', services });
      }),
      watchActivity: fromCallback(() => {}),
      watchIdentityDevices: fromCallback(() => {}),
      ticketFlow: ticketMachine.provide({
        actors: {
          identify,
          issueTicket: fromPromise(fakes.issueTicket ?? (() => Promise.resolve(ticketView()))),
          fetchTicket: fromPromise(fakes.fetchTicket ?? (() => Promise.resolve(ticketView()))),
          watchAppointmentScans: fromCallback(() => {}),
          watchIdentityDevices: fromCallback(() => {}),
        },
      }),
      feedbackFlow: feedbackMachine.provide({
        actors: { sendFeedback: fromPromise(() => Promise.resolve({ id: 'f', reference: 'FB-1' })) },
      }),
      selfServiceFlow: selfServiceMachine.provide({
        actions: { holdPresence: () => {}, releasePresence: () => {} },
        actors: {
          identify,
          loadAccount: fromPromise(() => Promise.resolve(account)),
          loadPacks: fromPromise(() => Promise.resolve<AddOnPack[]>([])),
          createOrder: fromPromise(() => Promise.resolve(order({ status: 'paid', reference: 'P-77' }))),
          fetchOrder: fromPromise(() => Promise.resolve(order({ status: 'paid', reference: 'P-77' }))),
          cancelOrder: fromPromise(() => Promise.resolve(order({ status: 'cancelled' }))),
          printInvoice: fromPromise(() =>
            Promise.resolve<InvoiceAnswer>({ print: 'printed', printProblem: null }),
          ),
        },
      }),
    },
  });
  const actor = createActor(machine, { input: { kioskId: 'k1' }, clock });
  actor.start();
  render(<KioskApp actor={actor} origin="http://hall.local:8080" />);
  return { actor, clock };
}

const tap = (name: string | RegExp) => fireEvent.click(screen.getByRole('button', { name }));

/** The first screen's one touch: a service. */
async function takeTicket(service: RegExp = /^业务办理/) {
  await screen.findByText('您好，欢迎光临');
  tap(service);
}

afterEach(cleanup);

describe('kiosk app', () => {
  it('greets on the first screen with every service and its queue, grouped, and identification beside them', async () => {
    startKiosk();
    expect(await screen.findByText('您好，欢迎光临')).toBeTruthy();
    const group = screen.getByRole('region', { name: '综合业务' });
    expect(within(group).getByRole('button', { name: /^业务办理/ }).textContent).toContain(
      '2 人等候 · 约 6 分钟',
    );
    expect(screen.getByRole('button', { name: /^投诉与争议/ })).toBeTruthy();
    const panel = screen.getByRole('complementary', { name: '贵宾、长辈客户请先识别' });
    expect(within(panel).getByRole('button', { name: '手机号识别' })).toBeTruthy();
    expect(within(panel).getByText('请将身份证放在读卡区')).toBeTruthy();
  });

  it('issues a ticket in Chinese with one touch: the number large, people ahead, ETA and the phone QR', async () => {
    startKiosk();
    await takeTicket();
    expect(await screen.findByText('A012')).toBeTruthy();
    expect(screen.getByText('前面还有 3 人')).toBeTruthy();
    expect(screen.getByText('预计等待：约 12 分钟')).toBeTruthy();
    expect(screen.getByText('按近期办理速度估算')).toBeTruthy();
    expect(screen.getByText('请留意叫号')).toBeTruthy();
    expect(screen.getByText('请取走您的号票')).toBeTruthy();
    const qr = screen.getByRole('img', { name: '手机扫码查看排队进度' });
    expect(qr.getAttribute('data-value')).toBe('http://hall.local:8080/t/tkt-0123456789abcdef01234567');
  });

  it('switches to English at any step', async () => {
    startKiosk();
    await screen.findByText('您好，欢迎光临');
    tap('English');
    tap(/^General business/);
    expect(await screen.findByText('Please watch the display')).toBeTruthy();
    expect(screen.getByText('3 people ahead of you')).toBeTruthy();
    tap('中文');
    expect(await screen.findByText('请留意叫号')).toBeTruthy();
  });

  it('says so, and promises no time, when no open counter serves the service', async () => {
    const closed = { servedNow: false, pausedCounters: 0, expectedOpenAt: null };
    startKiosk({
      issueTicket: () => Promise.resolve(ticketView({ position: 1, etaMinutes: 0, outlook: closed })),
    });
    await takeTicket();
    expect(await screen.findByText('您排在第 1 位')).toBeTruthy();
    expect(screen.getByText('该业务窗口暂未开放，请咨询工作人员')).toBeTruthy();
    expect(document.body.textContent).not.toMatch(/下一位|马上|即将叫号|预计等待/);
  });

  it('shows the number and the QR when the printer fails, and says so', async () => {
    startKiosk({
      issueTicket: () => Promise.resolve(ticketView({ print: 'failed', printProblem: 'paper-out' })),
    });
    await takeTicket();
    expect(await screen.findByText('A012')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('打印机未能出票，但您的号码有效');
    expect(screen.getByRole('img', { name: '手机扫码查看排队进度' }).getAttribute('width')).toBe('360');
  });

  it('warns before issuing when the printer is known to be out of paper', async () => {
    startKiosk({
      kiosk: { ...kioskView, devices: [{ id: 'printer-k1', kind: 'printer', status: 'paper-out' }] },
    });
    await screen.findByText('您好，欢迎光临');
    expect(screen.getByText(/打印机暂时无法出票/)).toBeTruthy();
  });

  it('issues without a warning while the paper is only running low: the printer still prints', async () => {
    startKiosk({
      kiosk: { ...kioskView, devices: [{ id: 'printer-k1', kind: 'printer', status: 'paper-near-end' }] },
    });
    await screen.findByText('您好，欢迎光临');
    expect(screen.queryByText(/打印机暂时无法出票/)).toBeNull();
  });

  it('shows a friendly reconnecting screen while the server is away', async () => {
    startKiosk({ issueTicket: () => Promise.reject(unreachable()) });
    await takeTicket();
    expect(await screen.findByText('正在重新连接…')).toBeTruthy();
    expect(screen.getByText(/不会重复取号/)).toBeTruthy();
    expect(screen.getByRole('button', { name: '立即重试' })).toBeTruthy();
  });

  it('in elderly mode uses large high-contrast type and shows the services at once', async () => {
    startKiosk();
    await screen.findByText('您好，欢迎光临');
    tap(/^长辈模式/);
    expect(document.querySelector('.kiosk.elderly')).toBeTruthy();
    tap(/^投诉与争议/);
    expect(await screen.findByText('A012')).toBeTruthy();
  });

  it('identifies by phone with masked data on screen, then offers elderly mode to a senior', async () => {
    startKiosk();
    await screen.findByText('您好，欢迎光临');
    tap('手机号识别');
    for (const digit of '13800005678') tap(digit);
    expect(screen.getByText('13800005678')).toBeTruthy();
    tap('获取验证码');
    expect(await screen.findByText('验证码已发送至 138****5678')).toBeTruthy();
    for (const digit of '123456') tap(digit);
    tap('确认');
    expect(await screen.findByText('为您开启长辈模式？')).toBeTruthy();
    tap('好的');
    expect(await screen.findByText('长辈客户 · 优先服务')).toBeTruthy();
    expect(screen.getAllByText('您好，王*').length).toBeGreaterThan(0);
    expect(document.querySelector('.kiosk.elderly')).toBeTruthy();
    tap(/^业务办理/);
    expect(await screen.findByText('A012')).toBeTruthy();
  });

  it('says the booked time when an appointment is checked in too early', async () => {
    const details = { slot: '13:00', from: '12:30', until: '13:15' };
    startKiosk({
      issueTicket: () => Promise.reject(new ApiError(409, 'too-early', 'too early', [], null, details)),
    });
    await screen.findByText('您好，欢迎光临');
    tap(/^预约签到/);
    for (const digit of '100002') tap(digit);
    tap('签到');
    expect(await screen.findByText('您预约的是 13:00，12:30 起可以签到。也可以先取普通号。')).toBeTruthy();
  });

  it('keeps the typed number and counts down when too many codes were asked for', async () => {
    startKiosk({
      requestCode: () => Promise.reject(new ApiError(429, 'too-many-requests', 'slow down', [], 40)),
    });
    await screen.findByText('您好，欢迎光临');
    tap('手机号识别');
    for (const digit of '13800005678') tap(digit);
    tap('获取验证码');
    expect(await screen.findByText('操作太频繁，请稍后再试。')).toBeTruthy();
    expect(screen.getByText('13800005678')).toBeTruthy();
    const wait = screen.getByRole('button', { name: '请 40 秒后再试' }) as HTMLButtonElement;
    expect(wait.disabled).toBe(true);
  });

  it('counts down the wait before a new code may be sent', async () => {
    startKiosk();
    await screen.findByText('您好，欢迎光临');
    tap('手机号识别');
    for (const digit of '13800005678') tap(digit);
    tap('获取验证码');
    expect(await screen.findByRole('button', { name: '60 秒后可重新发送' })).toBeTruthy();
  });

  it('asks "still there?" after the idle time, then returns to the attract screen with nothing kept', async () => {
    const { clock, actor } = startKiosk();
    await takeTicket();
    tap('English');
    clock.increment(30_000);
    expect(await screen.findByText('Still there?')).toBeTruthy();
    clock.increment(10_000);
    expect(await screen.findByText('您好，欢迎光临')).toBeTruthy();
    expect(screen.queryByText('Still there?')).toBeNull();
    expect(actor.getSnapshot().children.flow).toBeUndefined();
  });

  it('files a complaint and hands over to a ticket for the complaints desk', async () => {
    startKiosk();
    await screen.findByText('您好，欢迎光临');
    tap(/^意见反馈/);
    tap('投诉');
    tap('话费账单');
    expect(screen.getByRole('button', { name: '话费账单' }).getAttribute('aria-pressed')).toBe('true');
    tap('提交');
    expect(await screen.findByText('受理编号：FB-1')).toBeTruthy();
    tap('为您取投诉与争议号，值班经理当面处理');
    expect(await screen.findByText('A012')).toBeTruthy();
    await settle();
  });

  it('serves itself: account at a glance, a top-up paid at the terminal', async () => {
    startKiosk({
      kiosk: {
        ...kioskView,
        devices: [...kioskView.devices, { id: 'pay', kind: 'payment', status: 'ok' }],
      },
    });
    await screen.findByText('您好，欢迎光临');
    tap(/^自助办理/);
    tap('手机号 + 验证码');
    for (const digit of '13800005678') tap(digit);
    tap('获取验证码');
    await screen.findByText(/验证码已发送至/);
    for (const digit of '123456') tap(digit);
    tap('确认');
    expect(await screen.findByText('¥23.50')).toBeTruthy();
    expect(screen.getByText('应缴 ¥129.00，2025-04-20 前')).toBeTruthy();
    tap('充值');
    tap('¥50.00');
    expect(await screen.findByText('支付成功')).toBeTruthy();
    expect(screen.getByText('已充值 ¥50.00')).toBeTruthy();
    expect(await screen.findByText('当前余额 ¥23.50')).toBeTruthy();
    expect(screen.getByText('交易号：P-77')).toBeTruthy();
  });

  it('offers no payment or invoice without a working terminal and printer, only the counter', async () => {
    startKiosk({ kiosk: { ...kioskView, devices: [{ id: 'p', kind: 'printer', status: 'paper-out' }] } });
    await screen.findByText('您好，欢迎光临');
    tap(/^自助办理/);
    tap('手机号 + 验证码');
    for (const digit of '13800005678') tap(digit);
    tap('获取验证码');
    await screen.findByText(/验证码已发送至/);
    for (const digit of '123456') tap(digit);
    tap('确认');
    await screen.findByText('¥23.50');
    expect(screen.queryByRole('button', { name: '充值' })).toBeNull();
    expect(screen.queryByRole('button', { name: '打印发票' })).toBeNull();
    expect(screen.getByRole('button', { name: '流量包' })).toBeTruthy();
    expect(screen.getByRole('button', { name: '到柜台办理' })).toBeTruthy();
  });
});
