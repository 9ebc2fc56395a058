import type { Text } from '../../server/contract/api.ts';
import type { DeviceKind } from '../../server/contract/devices.ts';

/** What a manager calls each kind of device. */
export const DEVICE_KIND_NAMES: Record<DeviceKind, Text> = {
  printer: { zh: '取号打印机', en: 'Ticket printer' },
  keypad: { zh: '呼叫器', en: 'Call keypad' },
  led: { zh: '窗口屏', en: 'Counter LED screen' },
  'rating-pad': { zh: '评价器', en: 'Rating pad' },
  'id-reader': { zh: '身份证阅读器', en: 'ID card reader' },
  scanner: { zh: '扫码器', en: 'Code scanner' },
  payment: { zh: '支付终端', en: 'Payment terminal' },
};

/** Device health as the server reports it (printer and serial links), in words. */
export const DEVICE_STATUS_NAMES: Record<string, Text> = {
  ok: { zh: '正常', en: 'OK' },
  connecting: { zh: '连接中', en: 'Connecting' },
  offline: { zh: '离线', en: 'Offline' },
  closed: { zh: '已关闭', en: 'Closed' },
  removed: { zh: '已移除', en: 'Removed' },
  'paper-near-end': { zh: '纸将用完', en: 'Paper low' },
  'paper-out': { zh: '缺纸', en: 'Paper out' },
  'cover-open': { zh: '机盖打开', en: 'Cover open' },
};

/** A kind or status the page does not know is shown as the server named it. */
export const nameOf = (names: Record<string, Text>, key: string): Text => names[key] ?? { zh: key, en: key };
