/** A small demo hall for machine and component tests. */
import type { HallInfo, TicketView } from '../../server/contract/api.ts';
import type {
  AccountSummary,
  AddOnPack,
  IdentifiedCustomer,
  KioskView,
  Order,
} from '../../server/contract/kiosk.ts';

export const hall: HallInfo = {
  name: { zh: '示范营业厅', en: 'Demo Hall' },
  demo: true,
  timeZone: 'Asia/Shanghai',
  services: [
    {
      id: 'general',
      prefix: 'A',
      name: { zh: '业务办理', en: 'General business' },
      category: 'business',
      selfService: false,
      waitTargetMinutes: 15,
    },
    {
      id: 'payments',
      prefix: 'B',
      name: { zh: '缴费充值', en: 'Payments & top-up' },
      category: 'business',
      selfService: true,
      waitTargetMinutes: 15,
    },
    {
      id: 'devices',
      prefix: 'C',
      name: { zh: '终端购机', en: 'Phones & devices' },
      category: 'devices',
      selfService: false,
      waitTargetMinutes: 15,
    },
    {
      id: 'complaints',
      prefix: 'F',
      name: { zh: '投诉与争议', en: 'Complaints & disputes' },
      category: 'help',
      selfService: false,
      waitTargetMinutes: 15,
    },
  ],
  counters: [
    { id: '1', name: '1号窗口', serviceIds: ['general', 'payments', 'devices'] },
    { id: '3', name: '3号窗口', serviceIds: ['devices', 'general'] },
  ],
};

export const kioskView: KioskView = {
  id: 'k1',
  idleSeconds: 30,
  warningSeconds: 10,
  complaintsServiceId: 'complaints',
  topUpAmountsFen: [3000, 5000, 10000],
  devices: [
    { id: 'printer-k1', kind: 'printer', status: 'ok' },
    { id: 'reader-k1', kind: 'id-reader', status: 'ok' },
  ],
};

export const elderlyCustomer: IdentifiedCustomer = {
  token: 'tok-elderly',
  maskedPhone: '139****0001',
  maskedName: '王*',
  tier: 'elderly',
  age: 72,
};

export function ticketView(overrides: Partial<TicketView> = {}): TicketView {
  return {
    id: 'tkt-0123456789abcdef01234567',
    number: 'A012',
    serviceId: 'general',
    status: 'waiting',
    position: 4,
    etaMinutes: 12,
    counterId: null,
    tier: 'regular',
    channel: 'kiosk',
    issuedAt: '2025-01-01T09:00:00.000Z',
    calledAt: null,
    finishedAt: null,
    trackUrl: '/t/tkt-0123456789abcdef01234567',
    print: 'printed',
    printProblem: null,
    ...overrides,
  };
}

export const account: AccountSummary = {
  maskedPhone: '138****5678',
  plan: { zh: '畅享套餐 129元', en: 'Unlimited 129' },
  balanceFen: 2350,
  bill: { period: '2025-03', amountFen: 12900, dueDate: '2025-04-20', paid: false },
  usage: { dataMb: { used: 12_300, included: 30_720 }, voiceMinutes: { used: 210, included: 500 } },
  invoicePeriods: ['2025-03', '2025-02'],
};

export const packs: AddOnPack[] = [
  {
    id: 'data-10g',
    name: { zh: '10GB 流量包', en: '10 GB data pack' },
    description: { zh: '当月有效', en: 'Valid this month' },
    priceFen: 3000,
  },
];

export function order(overrides: Partial<Order> = {}): Order {
  return {
    id: 'ord-1',
    kind: 'top-up',
    amountFen: 5000,
    status: 'awaiting-payment',
    problem: null,
    reference: null,
    receipt: 'none',
    ...overrides,
  };
}
