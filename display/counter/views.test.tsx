// @vitest-environment happy-dom
import { cleanup, fireEvent, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { Lang } from '../../server/contract/api.ts';
import { counter } from '../common/test-data.ts';
import type { TerminalContext, TerminalEvent } from './terminal.machine.ts';
import { detail, hallInfo, ticket, tierReason } from './test-data.ts';
import { type Screen, TerminalView } from './views.tsx';

const now = Date.parse('2026-11-25T09:20:00Z');

function context(patch: Partial<TerminalContext> = {}): TerminalContext {
  return {
    user: { id: 'u1', name: '张丽', role: 'staff' },
    hall: hallInfo,
    counters: [],
    counterId: '1',
    detail: detail(),
    problem: null,
    notice: null,
    lastFinished: null,
    connection: 'live',
    stale: false,
    ...patch,
  };
}

function show(
  options: { screen?: Screen; context?: Partial<TerminalContext>; lang?: Lang; busy?: boolean } = {},
) {
  const send = vi.fn<(event: TerminalEvent) => void>();
  const onToggleLang = vi.fn();
  render(
    <TerminalView
      screen={options.screen ?? 'working'}
      context={context(options.context)}
      busy={options.busy ?? false}
      lang={options.lang ?? 'zh'}
      onToggleLang={onToggleLang}
      send={send}
      now={now}
    />,
  );
  return { send, onToggleLang };
}

const key = (k: string) => fireEvent.keyDown(window, { key: k });

afterEach(cleanup);

describe('counter terminal: signing in and choosing', () => {
  it('signs in with the staff id and password', () => {
    const { send } = show({ screen: 'signIn', context: { user: null, detail: null } });
    fireEvent.input(screen.getByLabelText('工号'), { target: { value: 'staff1 ' } });
    fireEvent.input(screen.getByLabelText('密码'), { target: { value: 'demo-staff' } });
    fireEvent.click(screen.getByRole('button', { name: '登录' }));
    expect(send).toHaveBeenCalledWith({ type: 'SIGN_IN', username: 'staff1', password: 'demo-staff' });
  });

  it('says why a sign-in failed', () => {
    show({
      screen: 'signIn',
      context: { user: null, detail: null, problem: { kind: 'credentials', message: 'bad credentials' } },
      lang: 'en',
    });
    expect(screen.getByRole('alert').textContent).toContain('Wrong staff ID or password');
  });

  it('lists the counters with their state and who is at them', () => {
    const { send } = show({
      screen: 'choosing',
      context: {
        detail: null,
        counters: [
          counter('1', ['general', 'payments']),
          counter('2', ['general'], { status: 'serving', staffName: '王强' }),
        ],
      },
    });
    const second = screen.getByRole('button', { name: /2号窗口/ });
    expect(second.textContent).toContain('服务中');
    expect(second.textContent).toContain('王强');
    expect(screen.getByRole('button', { name: /1号窗口/ }).textContent).toContain('业务办理 · 缴费充值');
    fireEvent.click(second);
    expect(send).toHaveBeenCalledWith({ type: 'CHOOSE', counterId: '2' });
  });
});

describe('counter terminal: working the counter', () => {
  const withCustomer = (patch = {}) =>
    detail({
      counter: counter('1', ['general'], { status: 'serving', currentTicket: 'A012' }),
      ticket: ticket({ tier: 'vip', ...patch }),
      explanation: tierReason,
    });

  it('shows the customer: number, service, marks, wait so far and why routing chose them', () => {
    show({ context: { detail: withCustomer() } });
    const customer = screen.getByRole('region', { name: /Current customer/ });
    expect(customer.querySelector('.number')?.textContent).toBe('A012');
    expect(customer.textContent).toContain('业务办理');
    expect(customer.textContent).toContain('贵宾');
    expect(customer.textContent).toContain('12 分钟'); // issued 09:00, called 09:12
    expect(customer.textContent).toContain('17:12'); // called at, in the hall's time zone
    expect(customer.textContent).toContain('贵宾客户优先于较早的普通号');
    expect(customer.textContent).toContain('A010, A011');
  });

  it('shows an identified customer masked, with their account summary', () => {
    const identified = {
      ...withCustomer(),
      customer: {
        maskedName: '李*',
        maskedPhone: '138****0002',
        account: {
          plan: { zh: '畅享 199 元套餐', en: 'Unlimited 199' },
          balanceFen: 88_800,
          billDueFen: 12_800,
        },
      },
    };
    show({ context: { detail: identified } });
    const customer = screen.getByRole('region', { name: /Current customer/ });
    expect(customer.querySelector('.identified')?.textContent).toBe('李* · 138****0002');
    expect(customer.querySelector('.account')?.textContent).toBe(
      '畅享 199 元套餐 · 余额 ¥888.00 · 待缴账单 ¥128.00',
    );
  });

  it('shows the same in English after the toggle', () => {
    show({ context: { detail: withCustomer({ tier: 'elderly' }) }, lang: 'en' });
    const customer = screen.getByRole('region', { name: /Current customer/ });
    expect(customer.textContent).toContain('General business');
    expect(customer.textContent).toContain('Elderly');
    expect(customer.textContent).toContain('A VIP customer goes before earlier regular tickets');
    expect(screen.getByRole('button', { name: /Finish/ })).toBeTruthy();
  });

  it('counts the wait up to now while a ticket has not been called', () => {
    show({ context: { detail: withCustomer({ calledAt: null, status: 'serving' }) } });
    expect(screen.getByRole('region', { name: /Current customer/ }).textContent).toContain('20 分钟');
  });

  it('shows the waiting count and the longest wait of its services, flagging a wait past target', () => {
    show();
    const rows = [...screen.getByRole('region', { name: /Queues/ }).querySelectorAll('tbody tr')];
    expect(rows.map((r) => r.textContent)).toEqual(['业务办理518 分钟', '缴费充值0—', '终端购机24 分钟']);
    expect(rows[0]!.classList.contains('over-target')).toBe(true);
  });

  it('calls the next customer with the button, F1 or Space', () => {
    const { send } = show();
    fireEvent.click(screen.getByRole('button', { name: /叫号/ }));
    key('F1');
    key(' ');
    expect(send).toHaveBeenCalledTimes(3);
    expect(send).toHaveBeenCalledWith({ type: 'COMMAND', command: { type: 'call' } });
  });

  it('offers only what fits the moment, and ignores shortcuts while a command is on its way', () => {
    const { send } = show({ context: { detail: withCustomer() }, busy: true });
    expect(screen.queryByRole('button', { name: /叫号/ })).toBeNull();
    expect((screen.getByRole('button', { name: /重呼/ }) as HTMLButtonElement).disabled).toBe(true);
    key('r');
    expect(send).not.toHaveBeenCalled();
  });

  it('recalls, starts and marks a no-show with R, S and N', () => {
    const { send } = show({ context: { detail: withCustomer() } });
    key('r');
    key('s');
    key('n');
    expect(send.mock.calls.map(([e]) => (e.type === 'COMMAND' ? e.command.type : e.type))).toEqual([
      'recall',
      'start',
      'no-show',
    ]);
  });

  it('transfers to another service, optionally to the front of its queue', () => {
    const { send } = show({ context: { detail: withCustomer() } });
    key('t');
    const dialog = screen.getByRole('dialog');
    expect(dialog.textContent).not.toContain('业务办理'); // the ticket's own service
    fireEvent.click(screen.getByLabelText('排到该队列最前面'));
    fireEvent.click(screen.getByRole('button', { name: /宽带固话/ }));
    expect(send).toHaveBeenCalledWith({
      type: 'COMMAND',
      command: { type: 'transfer', serviceId: 'broadband', front: true },
    });
    expect(screen.queryByRole('dialog')).toBeNull();
  });

  it('finishes with a rating typed as a digit, or without one with Enter', () => {
    const { send } = show({ context: { detail: withCustomer({ status: 'serving' }) } });
    key('f');
    key('4');
    expect(send).toHaveBeenLastCalledWith({ type: 'COMMAND', command: { type: 'finish', rating: 4 } });
    key('f');
    key('Enter');
    expect(send).toHaveBeenLastCalledWith({ type: 'COMMAND', command: { type: 'finish', rating: null } });
  });

  it('moves focus into the finish dialog, onto "finish without rating", so Enter after a click finishes', () => {
    show({ context: { detail: withCustomer({ status: 'serving' }) } });
    fireEvent.click(screen.getByRole('button', { name: /完成/ }));
    const dialog = screen.getByRole('dialog', { name: '客户评价（可选）' });
    expect(document.activeElement?.textContent).toContain('不评价，直接完成');
    expect(dialog.contains(document.activeElement)).toBe(true);
  });

  it('pauses with a reason, and Escape closes the dialog without acting', () => {
    const { send } = show();
    key('p');
    key('Escape');
    expect(screen.queryByRole('dialog')).toBeNull();
    key('p');
    fireEvent.click(screen.getByRole('button', { name: /午餐/ }));
    expect(send).toHaveBeenCalledWith({ type: 'COMMAND', command: { type: 'pause', reason: 'lunch' } });
    expect(send).toHaveBeenCalledTimes(1);
  });

  it('opens a closed counter and resumes a paused one', () => {
    const closed = show({
      context: { detail: detail({ counter: counter('1', ['general'], { status: 'closed' }) }) },
    });
    fireEvent.click(screen.getByRole('button', { name: /开窗/ }));
    expect(closed.send).toHaveBeenCalledWith({ type: 'COMMAND', command: { type: 'open' } });
    cleanup();
    const paused = show({
      context: {
        detail: detail({ counter: counter('1', ['general'], { status: 'paused', pauseReason: 'training' }) }),
      },
    });
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('暂停 (培训)');
    key('p');
    expect(paused.send).toHaveBeenCalledWith({ type: 'COMMAND', command: { type: 'resume' } });
  });

  it('says who is seated at a counter held by someone else, in the language on screen', () => {
    const held = counter('1', ['general'], { status: 'open', staffName: '营业员6' });
    const problem = { kind: 'forbidden' as const, message: '1号窗口 is staffed by 营业员6' };
    show({ context: { problem, counters: [held] } });
    expect(screen.getByRole('alert').textContent).toContain('1号窗口 当前由 营业员6 在岗');
    expect(screen.getByRole('alert').textContent).not.toContain('is staffed by');
  });

  it('explains a conflict plainly', () => {
    const { send } = show({
      context: { problem: { kind: 'conflict', message: 'A012 is already being served' } },
      lang: 'en',
    });
    const alert = screen.getByRole('alert');
    expect(alert.textContent).toContain('another terminal or the keypad just acted');
    expect(alert.textContent).toContain('A012 is already being served');
    fireEvent.click(screen.getByRole('button', { name: 'OK' }));
    expect(send).toHaveBeenCalledWith({ type: 'DISMISS' });
  });

  it('says when nobody is waiting, shows the last rating, and warns when the stream is lost', () => {
    show({
      context: { notice: 'nobody-waiting', lastFinished: { number: 'A011', rating: 5 }, connection: 'lost' },
    });
    expect(screen.getByText('本窗口暂无等候的客户')).toBeTruthy();
    expect(screen.getByText(/上一位/).textContent).toContain('A011 评价 ★★★★★');
    expect(screen.getByRole('status').textContent).toContain('连接中断');
  });

  it('toggles the language, changes counter and signs out from the header', () => {
    const { send, onToggleLang } = show();
    fireEvent.click(screen.getByRole('button', { name: 'English' }));
    fireEvent.click(screen.getByRole('button', { name: '更换窗口' }));
    fireEvent.click(screen.getByRole('button', { name: '退出登录' }));
    expect(onToggleLang).toHaveBeenCalledOnce();
    expect(send.mock.calls.map(([e]) => e.type)).toEqual(['CHANGE_COUNTER', 'SIGN_OUT']);
  });
});
