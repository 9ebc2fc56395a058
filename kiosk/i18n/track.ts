/** Every string of the phone tracking page, in Chinese and English. */
import type { ProblemCode } from '../flows/retry.ts';
import type { Strings, Text } from './index.ts';

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
  watch: { zh: '请留意大厅叫号屏。', en: 'Please watch the hall display.' },
  pageTitle: { zh: '{number} · {place}', en: '{number} · {place}' },
  calledTitle: { zh: '请到 {counter} · {number}', en: '{number}: go to {counter}' },
  calledBody: {
    zh: '轮到您了，{number} 请到 {counter}',
    en: 'It is your turn: {number}, please go to {counter}',
  },

  alertsTitle: { zh: '叫号提醒', en: 'Call alerts' },
  enableAlerts: { zh: '开启声音和通知', en: 'Turn on sound and notifications' },
  enableAlertsSub: {
    zh: '轮到您时响铃、振动并通知。浏览器需要您点一下才能开启。',
    en: 'A chime, a vibration and a notification when it is your turn. Your browser needs one tap first.',
  },
  alertsOn: { zh: '已开启：轮到您时此页响铃并振动。', en: 'On: this page chimes and vibrates at your turn.' },
  alertsNoSound: { zh: '此浏览器无法播放提示音。', en: 'This browser cannot play the chime.' },
  notificationsOn: { zh: '系统通知也已开启。', en: 'Notifications are on too.' },
  notificationsOff: {
    zh: '系统通知未获允许：请保持此页打开。',
    en: 'Notifications are not allowed: keep this page open.',
  },

  smsTitle: { zh: '快到时短信提醒', en: 'A text when your turn is near' },
  smsLead: { zh: '前面还剩 {n} 人时，发短信到：', en: 'When {n} people are ahead, text:' },
  smsIdentified: {
    zh: '您在取号机识别时用的号码是 {phone}',
    en: 'You identified with {phone} at the kiosk',
  },
  phoneLabel: { zh: '手机号', en: 'Mobile number' },
  smsSubmit: { zh: '开启短信提醒', en: 'Text me' },
  smsArmed: { zh: '已开启：前面剩 {n} 人时发短信至 {phone}', en: 'On: a text to {phone} when {n} are ahead' },
  smsWithdraw: { zh: '取消短信提醒', en: 'Cancel the text' },
  smsSent: { zh: '短信已发送至 {phone}', en: 'Text sent to {phone}' },
  smsLost: {
    zh: '系统重启过，短信提醒已失效，请重新开启。',
    en: 'The hall system restarted and lost your request: please ask again.',
  },
  smsFailed: {
    zh: '短信未能发出，请留意叫号屏。',
    en: 'The text could not be sent: please watch the display.',
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

/** Why a text request did not work, by the server's error code. */
export const smsProblems: { [code in ProblemCode]?: Text } = {
  'invalid-request': { zh: '请输入 11 位手机号。', en: 'Please enter an 11-digit mobile number.' },
  'turn-already-near': {
    zh: '您前面已不足 3 人，请直接留意叫号。',
    en: 'Fewer than 3 people are ahead already: please watch the display.',
  },
  'too-many-requests': {
    zh: '修改次数过多，请留意叫号屏。',
    en: 'Changed too often: please watch the display.',
  },
  'ticket-not-waiting': { zh: '此号已不在排队中。', en: 'This ticket is no longer in line.' },
  unexpected: { zh: '没能开启，请稍后再试。', en: 'That did not work. Please try again shortly.' },
};
