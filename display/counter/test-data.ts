/** A counter of the demo hall as the terminal's tests see it. */
import type { CallReason, CounterDetail, HallInfo, TicketView } from '../../server/contract/api.ts';
import { counter } from '../common/test-data.ts';

export const hallInfo: HallInfo = {
  name: { zh: '示范营业厅', en: 'Demo Hall' },
  demo: true,
  timeZone: 'Asia/Shanghai',
  services: [
    ['general', 'A', '业务办理', 'General business'],
    ['payments', 'B', '缴费充值', 'Payments & top-up'],
    ['devices', 'C', '终端购机', 'Phones & devices'],
    ['broadband', 'D', '宽带固话', 'Broadband & landline'],
  ].map(([id, prefix, zh, en]) => ({
    id: id!,
    prefix: prefix!,
    name: { zh: zh!, en: en! },
    category: 'counter',
    selfService: false,
    waitTargetMinutes: 15,
  })),
  counters: [
    { id: '1', name: '1号窗口', serviceIds: ['general', 'payments', 'devices'] },
    { id: '2', name: '2号窗口', serviceIds: ['general', 'payments', 'broadband'] },
  ],
};

export function ticket(patch: Partial<TicketView> = {}): TicketView {
  return {
    id: 'tkt-7f3a9c',
    number: 'A012',
    serviceId: 'general',
    status: 'called',
    position: 0,
    etaMinutes: 0,
    counterId: '1',
    tier: 'regular',
    channel: 'kiosk',
    issuedAt: '2026-11-25T09:00:00Z',
    calledAt: '2026-11-25T09:12:00Z',
    finishedAt: null,
    trackUrl: '/t/tkt-7f3a9c',
    print: 'printed',
    printProblem: null,
    ...patch,
  };
}

export const tierReason: CallReason = {
  rule: 'tier',
  zh: '贵宾客户优先于较早的普通号',
  en: 'A VIP customer goes before earlier regular tickets',
  passedOver: ['A010', 'A011'],
};

export function detail(patch: Partial<CounterDetail> = {}): CounterDetail {
  return {
    counter: counter('1', ['general', 'payments', 'devices'], { staffName: '张丽' }),
    ticket: null,
    explanation: null,
    customer: null,
    queues: [
      { serviceId: 'general', waiting: 5, longestWaitMinutes: 18 },
      { serviceId: 'payments', waiting: 0, longestWaitMinutes: 0 },
      { serviceId: 'devices', waiting: 2, longestWaitMinutes: 4 },
    ],
    ...patch,
  };
}
