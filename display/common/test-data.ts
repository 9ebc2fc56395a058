/** Demo-hall shaped data for the display tests. */
import type { CallNotice, CounterView, HallSnapshot, ServiceView } from '../../server/contract/api.ts';
import type { HallEvent } from '../../server/contract/events.ts';

export function service(id: string, prefix: string, zh: string, en: string, waiting = 0): ServiceView {
  return {
    id,
    prefix,
    name: { zh, en },
    open: true,
    waiting,
    etaMinutes: waiting * 3,
    waitTargetMinutes: 15,
    longestWaitMinutes: waiting * 2,
  };
}

export const demoServices: ServiceView[] = [
  service('general', 'A', '业务办理', 'General business', 5),
  service('payments', 'B', '缴费充值', 'Payments & top-up', 2),
  service('devices', 'C', '终端购机', 'Phones & devices', 0),
  service('vip', 'V', '贵宾服务', 'VIP', 1),
];

export function counter(id: string, serviceIds: string[], patch: Partial<CounterView> = {}): CounterView {
  return {
    id,
    name: `${id}号窗口`,
    status: 'open',
    currentTicket: null,
    currentSince: null,
    serviceIds,
    pauseReason: null,
    staffName: null,
    ...patch,
  };
}

export const demoCounters: CounterView[] = [
  counter('1', ['general', 'payments', 'devices']),
  counter('3', ['devices', 'general']),
  counter('4', ['vip', 'general']),
];

export function call(number: string, counterId: string, at: string, recall = false): CallNotice {
  return { number, serviceId: 'general', counterId, counterName: `${counterId}号窗口`, at, recall };
}

export function snapshot(patch: Partial<HallSnapshot> = {}): HallSnapshot {
  return {
    hall: { name: { zh: '示范营业厅', en: 'Demo Hall' }, demo: true, timeZone: 'Asia/Shanghai' },
    services: demoServices,
    counters: demoCounters,
    recentCalls: [],
    calling: [],
    lastEventId: 0,
    ...patch,
  };
}

export function calledEvent(id: number, notice: CallNotice, services = demoServices): HallEvent {
  const ticket = {
    number: notice.number,
    serviceId: notice.serviceId,
    tier: 'regular' as const,
    counterId: notice.counterId,
  };
  return notice.recall
    ? { id, type: 'ticket.recalled', at: notice.at, data: { ticket, services, call: notice } }
    : { id, type: 'ticket.called', at: notice.at, data: { ticket, services, call: notice } };
}
