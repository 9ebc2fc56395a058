// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen, within } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { createActor, fromCallback, fromPromise, SimulatedClock } from 'xstate';
import type { TicketView } from '../../server/contract/api.ts';
import type { AddOnPack, InvoiceAnswer, KioskConfig } from '../../server/contract/kiosk.ts';
import { feedbackMachine } from '../flows/feedback.machine.ts';
import { account, elderlyCustomer, hall, kioskConfig, order, ticketView } from '../flows/fixtures.ts';
import { identifyMachine } from '../flows/identify.machine.ts';
import { kioskMachine } from '../flows/kiosk.machine.ts';
import { selfServiceMachine } from '../flows/self-service.machine.ts';
import { settle, unreachable } from '../flows/testing.ts';
import { ticketMachine } from '../flows/ticket.machine.ts';
import { KioskApp } from './KioskApp.tsx';

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
    kiosk?: KioskConfig;
  } = {},
) {
  const clock = new SimulatedClock();
  const identify = identifyMachine.provide({
    actors: {
      requestCode: fromPromise(() =>
        Promise.resolve({ challengeId: 'c1', expiresInSeconds: 300, resendAfterSeconds: 60 }),
      ),
      verifyCode: fromPromise(() => Promise.resolve(elderlyCustomer)),
      redeemDeviceRead: fromPromise(() => Promise.resolve(elderlyCustomer)),
      watchIdentityDevices: fromCallback(() => {}),
    },
  });
  const machine = kioskMachine.provide({
    actors: {
      loadKiosk: fromPromise(() => Promise.resolve({ hall, kiosk: fakes.kiosk ?? kioskConfig })),
      watchHall: fromCallback(({ sendBack }) => {
        sendBack({ type: 'HALL.SERVICES', services });
      }),
      watchActivity: fromCallback(() => {}),
      ticketFlow: ticketMachine.provide({
        actors: {
          identify,
          issueTicket: fromPromise(fakes.issueTicket ?? (() => Promise.resolve(ticketView()))),
          fetchTicket: fromPromise(fakes.fetchTicket ?? (() => Promise.resolve(ticketView()))),
          watchAppointmentScans: fromCallback(() => {}),
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

async function takeTicketToConfirm() {
  await screen.findByText('您好，欢迎光临');
  tap(/^取号/);
  tap(/^业务办理/);
  tap(/^业务办理/);
  tap('跳过');
  await screen.findByText('请确认');
}

afterEach(cleanup);

describe('kiosk app', () => {
  it('greets on the attract screen with the waiting figures of every open service', async () => {
    startKiosk();
    expect(await screen.findByText('您好，欢迎光临')).toBeTruthy();
    const board = screen.getByRole('region', { name: '当前等候' });
    expect(within(board).getByText('业务办理')).toBeTruthy();
    expect(within(board).getByText('2 人等候 · 约 6 分钟')).toBeTruthy();
  });

  it('issues a ticket in Chinese: the number large, people ahead, ETA and the phone QR', async () => {
    startKiosk();
    await takeTicketToConfirm();
    tap('确认取号');
    expect(await screen.findByText('A012')).toBeTruthy();
    expect(screen.getByText('前面还有 3 人')).toBeTruthy();
    expect(screen.getByText('预计等待约 12 分钟')).toBeTruthy();
    expect(screen.getByText('请留意叫号')).toBeTruthy();
    expect(screen.getByText('请取走您的号票')).toBeTruthy();
    const qr = screen.getByRole('img', { name: '手机扫码查看排队进度' });
    expect(qr.getAttribute('data-value')).toBe('http://hall.local:8080/t/tkt-0123456789abcdef01234567');
  });

  it('switches to English at any step', async () => {
    startKiosk();
    await takeTicketToConfirm();
    tap('English');
    expect(await screen.findByText('Please confirm')).toBeTruthy();
    tap('Get my ticket');
    expect(await screen.findByText('Please watch the display')).toBeTruthy();
    expect(screen.getByText('3 people ahead of you')).toBeTruthy();
  });

  it('shows the number and the QR when the printer fails, and says so', async () => {
    startKiosk({
      issueTicket: () => Promise.resolve(ticketView({ print: 'failed', printProblem: 'paper-out' })),
    });
    await takeTicketToConfirm();
    tap('确认取号');
    expect(await screen.findByText('A012')).toBeTruthy();
    expect(screen.getByRole('alert').textContent).toContain('打印机未能出票，但您的号码有效');
    expect(screen.getByRole('img', { name: '手机扫码查看排队进度' }).getAttribute('width')).toBe('360');
  });

  it('warns before issuing when the printer is known to be out of paper', async () => {
    startKiosk({
      kiosk: { ...kioskConfig, devices: [{ id: 'printer-k1', kind: 'printer', status: 'paper-out' }] },
    });
    await takeTicketToConfirm();
    expect(screen.getByText(/打印机暂时无法出票/)).toBeTruthy();
  });

  it('shows a friendly reconnecting screen while the server is away', async () => {
    startKiosk({ issueTicket: () => Promise.reject(unreachable()) });
    await takeTicketToConfirm();
    tap('确认取号');
    expect(await screen.findByText('正在重新连接…')).toBeTruthy();
    expect(screen.getByText(/不会重复取号/)).toBeTruthy();
    expect(screen.getByRole('button', { name: '立即重试' })).toBeTruthy();
  });

  it('in elderly mode uses large high-contrast type and shows the services at once', async () => {
    startKiosk();
    await screen.findByText('您好，欢迎光临');
    tap(/^长辈模式/);
    expect(document.querySelector('.kiosk.elderly')).toBeTruthy();
    tap(/^取号/);
    expect(await screen.findByText('请选择业务')).toBeTruthy();
    expect(screen.getByRole('button', { name: /^投诉与争议/ })).toBeTruthy();
  });

  it('identifies by phone with masked data on screen, then offers elderly mode to a senior', async () => {
    startKiosk();
    await screen.findByText('您好，欢迎光临');
    tap(/^取号/);
    tap(/^业务办理/);
    tap(/^业务办理/);
    tap('手机号 + 验证码');
    for (const digit of '13800005678') tap(digit);
    expect(screen.getByText('13800005678')).toBeTruthy();
    tap('获取验证码');
    expect(await screen.findByText('验证码已发送至 138****5678')).toBeTruthy();
    for (const digit of '123456') tap(digit);
    tap('确认');
    expect(await screen.findByText('为您开启长辈模式？')).toBeTruthy();
    tap('好的');
    expect(await screen.findByText('长辈客户 · 优先服务')).toBeTruthy();
    expect(screen.getByText('客户：王*')).toBeTruthy();
    expect(document.querySelector('.kiosk.elderly')).toBeTruthy();
  });

  it('asks "still there?" after the idle time, then returns to the attract screen with nothing kept', async () => {
    const { clock, actor } = startKiosk();
    await takeTicketToConfirm();
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
    expect(await screen.findByText('投诉与争议')).toBeTruthy();
    await settle();
    expect(screen.getByRole('button', { name: '确认取号' })).toBeTruthy();
  });

  it('serves itself: account at a glance, a top-up paid at the terminal', async () => {
    startKiosk({
      kiosk: {
        ...kioskConfig,
        devices: [...kioskConfig.devices, { id: 'pay', kind: 'payment', status: 'ok' }],
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
    expect(screen.getByText('交易号：P-77')).toBeTruthy();
  });

  it('offers no payment or invoice without a working terminal and printer, only the counter', async () => {
    startKiosk({ kiosk: { ...kioskConfig, devices: [{ id: 'p', kind: 'printer', status: 'paper-out' }] } });
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
