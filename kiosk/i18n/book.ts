/** Every string of the phone booking page, in Chinese and English. */
import type { BookingRefusal } from '../../server/contract/kiosk.ts';
import type { ProblemCode } from '../flows/retry.ts';
import type { Strings, Text } from './index.ts';

export const s = {
  title: { zh: '预约办理', en: 'Book an appointment' },
  loading: { zh: '正在加载…', en: 'Loading…' },
  retry: { zh: '重试', en: 'Try again' },
  back: { zh: '返回', en: 'Back' },
  step1: { zh: '1. 选择业务', en: '1. Choose a service' },
  step2: { zh: '2. 选择日期和时间', en: '2. Choose a day and time' },
  step3: { zh: '3. 填写手机号', en: '3. Your mobile number' },
  today: { zh: '今天', en: 'Today' },
  tomorrow: { zh: '明天', en: 'Tomorrow' },
  left: { zh: '余 {n}', en: '{n} left' },
  noSlots: {
    zh: '这一天没有可预约的时间，请换一天。',
    en: 'No free times on this day: please pick another.',
  },
  chosen: { zh: '{service}，{day} {time}', en: '{service}, {day} at {time}' },
  phoneLabel: { zh: '手机号码（用于接收签到码短信）', en: 'Mobile number (the check-in code comes by text)' },
  phoneHint: { zh: '11 位手机号码', en: '11-digit mobile number' },
  badPhone: {
    zh: '请输入 11 位手机号码（1 开头）。',
    en: 'Please enter an 11-digit mobile number starting with 1.',
  },
  book: { zh: '确认预约', en: 'Book it' },
  booking: { zh: '正在预约…', en: 'Booking…' },
  booked: { zh: '预约成功', en: 'You are booked' },
  codeLabel: { zh: '签到码', en: 'Check-in code' },
  codeSent: { zh: '签到码已通过短信发送至 {phone}。', en: 'The code was also sent by text to {phone}.' },
  window: {
    zh: '请在 {from}–{until} 之间到营业厅自助取号机签到：点“预约签到”，输入签到码。',
    en: 'Check in at the hall’s kiosk between {from} and {until}: tap “Appointment check-in” and enter the code.',
  },
  again: { zh: '再预约一个', en: 'Book another' },
  'problem.service-not-found': {
    zh: '这项业务暂不接受预约，请选择其他业务。',
    en: 'This service cannot be booked now: please choose another.',
  },
  'problem.slot-unavailable': {
    zh: '这个时间已不能预约，请另选时间。',
    en: 'That time can no longer be booked: please choose another.',
  },
  'problem.slot-full': {
    zh: '这个时间刚刚约满了，请另选时间。',
    en: 'That time has just filled up: please choose another.',
  },
  'problem.too-many-appointments': {
    zh: '这个手机号已有 3 个未到期的预约，请先办理或等预约结束后再约。',
    en: 'This number already holds 3 upcoming appointments: use or let one pass first.',
  },
  'problem.too-many-requests': {
    zh: '预约过于频繁，请稍后再试。',
    en: 'Too many bookings from here: please try again later.',
  },
  'problem.invalid-request': {
    zh: '信息有误，请检查手机号码后重试。',
    en: 'Something was not right: check the number and try again.',
  },
  'problem.unreachable': {
    zh: '暂时连不上营业厅系统，请检查网络后重试。',
    en: 'Cannot reach the hall right now: check your connection and try again.',
  },
  'problem.unexpected': {
    zh: '出了点问题，请稍后重试。',
    en: 'Something went wrong: please try again shortly.',
  },
} satisfies Strings & Record<`problem.${BookingRefusal}`, Text>;

/** The message for a refusal code; an unknown code gets the general one. */
export function problemText(code: ProblemCode) {
  const key = `problem.${code}` as const;
  return key in s ? s[key as keyof typeof s] : s['problem.unexpected'];
}
