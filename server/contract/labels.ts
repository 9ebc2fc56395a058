/**
 * What the screens call the hall's states and reasons, in both languages: one table each, for the kiosk,
 * the wall, the counter terminal and the manager pages alike. Browser-safe.
 */
import type { CounterStatus, PauseReason, Text, TicketStatus, Tier } from './api.ts';
import type { DeviceKind, DeviceStatus } from './devices.ts';

/**
 * A counter's state. `open` is a counter at work with nobody at it, so 空闲 (free): 开启 is the act of
 * opening it (the audit log's 开启窗口), not a state.
 */
export const COUNTER_STATUS_TEXT: Record<CounterStatus, Text> = {
  closed: { zh: '已关闭', en: 'Closed' },
  open: { zh: '空闲', en: 'Open' },
  paused: { zh: '暂停', en: 'Paused' },
  serving: { zh: '服务中', en: 'Serving' },
};

export const PAUSE_REASON_TEXT: Record<PauseReason, Text> = {
  lunch: { zh: '午餐', en: 'Lunch' },
  meeting: { zh: '会议', en: 'Meeting' },
  training: { zh: '培训', en: 'Training' },
  break: { zh: '休息', en: 'Break' },
  other: { zh: '其他', en: 'Other' },
};

export const TICKET_STATUS_TEXT: Record<TicketStatus, Text> = {
  waiting: { zh: '等候', en: 'Waiting' },
  called: { zh: '已叫号', en: 'Called' },
  serving: { zh: '办理中', en: 'Serving' },
  done: { zh: '已办结', en: 'Done' },
  'no-show': { zh: '过号', en: 'No-show' },
  cancelled: { zh: '已取消', en: 'Cancelled' },
};

/** A customer's tier: 长辈, as the kiosk's 长辈模式 and the routing's words say it. */
export const TIER_TEXT: Record<Tier, Text> = {
  regular: { zh: '普通', en: 'Regular' },
  vip: { zh: '贵宾', en: 'VIP' },
  elderly: { zh: '长辈', en: 'Elderly' },
  appointment: { zh: '预约', en: 'Appointment' },
};

/** What a manager calls each kind of device. */
export const DEVICE_KIND_TEXT: Record<DeviceKind, Text> = {
  printer: { zh: '取号打印机', en: 'Ticket printer' },
  keypad: { zh: '呼叫器', en: 'Call keypad' },
  led: { zh: '窗口屏', en: 'Counter LED screen' },
  'rating-pad': { zh: '评价器', en: 'Rating pad' },
  'id-reader': { zh: '身份证阅读器', en: 'ID card reader' },
  scanner: { zh: '扫码器', en: 'Code scanner' },
  payment: { zh: '支付终端', en: 'Payment terminal' },
};

export const DEVICE_STATUS_TEXT: Record<DeviceStatus, Text> = {
  ok: { zh: '正常', en: 'OK' },
  'paper-near-end': { zh: '纸将用完', en: 'Paper low' },
  'paper-out': { zh: '缺纸', en: 'Paper out' },
  'cover-open': { zh: '机盖打开', en: 'Cover open' },
  connecting: { zh: '连接中', en: 'Connecting' },
  offline: { zh: '离线', en: 'Offline' },
  closed: { zh: '已关闭', en: 'Closed' },
  removed: { zh: '已移除', en: 'Removed' },
};
