/** Every string of the phone tracking page, in Chinese and English. */
import type { Strings } from './index.ts';

export const s = {
  title: { zh: '排队进度', en: 'Your place in line' },
  loading: { zh: '正在查询…', en: 'Looking up your ticket…' },
  reconnecting: { zh: '正在重新连接…', en: 'Reconnecting…' },
  live: { zh: '实时更新中', en: 'Live' },
  notFound: { zh: '找不到这张号票', en: 'We cannot find this ticket' },
  notFoundDetail: {
    zh: '号票可能已过期（号码每天重新开始）。请在取号机重新取号。',
    en: 'It may be from another day (numbers restart daily). Please take a new ticket at the kiosk.',
  },
  yourNumber: { zh: '您的号码', en: 'Your number' },
  aheadOfYou: { zh: '前面还有 {n} 人', en: '{n} people ahead of you' },
  aheadOfYouOne: { zh: '前面还有 1 人', en: '1 person ahead of you' },
  aheadNone: { zh: '下一位就是您', en: 'You are next' },
  eta: { zh: '预计等待约 {n} 分钟', en: 'Estimated wait: about {n} min' },
  etaRange: { zh: '预计等待约 {low}–{high} 分钟', en: 'Estimated wait: about {low}–{high} min' },
  watch: {
    zh: '请留意大厅叫号屏，轮到您时此页会提醒。',
    en: 'Watch the hall display; this page alerts you when it is your turn.',
  },
  goTo: { zh: '请到 {counter}', en: 'Please go to {counter}' },
  counterEn: { zh: '{name}', en: 'counter {id}' },
  itsYourTurn: { zh: '轮到您了', en: 'It is your turn' },
  serving: { zh: '正在 {counter} 为您办理', en: 'Being served at {counter}' },
  done: { zh: '办理完毕，感谢光临', en: 'All done — thank you for visiting' },
  noShow: { zh: '您已过号', en: 'You missed your call' },
  noShowDetail: { zh: '请在取号机重新取号。', en: 'Please take a new ticket at the kiosk.' },
  cancelled: { zh: '此号已取消', en: 'This ticket is cancelled' },
  cancel: { zh: '取消排队', en: 'Cancel my ticket' },
  cancelConfirm: {
    zh: '确定取消吗？取消后需重新取号。',
    en: 'Cancel for sure? You would need a new ticket.',
  },
  cancelYes: { zh: '确定取消', en: 'Yes, cancel it' },
  cancelNo: { zh: '继续排队', en: 'Keep my place' },
  cancelFailed: {
    zh: '没能取消，请刷新页面查看最新状态。',
    en: 'That did not work. Reload the page for the latest state.',
  },
  bookLink: { zh: '下次不用排队：手机预约', en: 'Skip the line next time: book an appointment' },
} satisfies Strings;
