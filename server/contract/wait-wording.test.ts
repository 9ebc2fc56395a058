import { describe, expect, it } from 'vitest';
import type { EtaRange, WaitOutlook } from './api.ts';
import { type WaitSubject, waitWording } from './wait-wording.ts';

/** 2026-11-25 10:00 in Shanghai. */
const NOW = Date.UTC(2026, 10, 25, 2, 0);
const clock = { now: NOW, timeZone: 'Asia/Shanghai' };
const served: WaitOutlook = { servedNow: true, pausedCounters: 0, expectedOpenAt: null };
const closed: WaitOutlook = { servedNow: false, pausedCounters: 0, expectedOpenAt: null };

type Figures = { etaMinutes?: number; etaRange?: EtaRange | null; outlook?: WaitOutlook; open?: boolean };
const ticket = (position: number, patch: Figures = {}): WaitSubject => ({
  position,
  etaMinutes: 0,
  etaRange: null,
  outlook: served,
  ...patch,
});
const service = (waiting: number, patch: Figures = {}): WaitSubject => ({
  etaMinutes: 0,
  etaRange: null,
  outlook: served,
  open: true,
  ...patch,
  position: null,
  waiting,
});

/** Every string a wording holds, both languages. */
const allText = (subject: WaitSubject) => JSON.stringify(waitWording(subject, clock));
const PROMISES = /下一位|马上|即将|无需等候|0 分钟|next|moment|No wait|0 min/;

describe('the wait wording shared by kiosk, paper, wall, phone and manager', () => {
  it('with a counter open: the place, a forecast interval and what it rests on', () => {
    expect(waitWording(ticket(4, { etaMinutes: 9, etaRange: { low: 6, high: 12 } }), clock)).toEqual({
      place: { zh: '前面还有 3 人', en: '3 people ahead of you' },
      eta: { zh: '约 6–12 分钟', en: 'about 6–12 min' },
      estimate: { zh: '预计等待：约 6–12 分钟', en: 'Estimated wait: about 6–12 min' },
      basis: { zh: '按本厅以往同时段的办理情况预测', en: "forecast from this hall's past weeks" },
      short: { zh: '约 6–12 分钟', en: 'about 6–12 min' },
      servedNow: true,
    });
  });

  it('without a forecast: one figure, estimated from the recent pace', () => {
    const said = waitWording(ticket(2, { etaMinutes: 7 }), clock);
    expect(said.place.en).toBe('1 person ahead of you');
    expect(said.eta).toEqual({ zh: '约 7 分钟', en: 'about 7 min' });
    expect(said.basis?.en).toBe('estimated from the recent pace');
    expect(waitWording(ticket(30, { etaMinutes: 95 }), clock).eta?.zh).toBe('约 1 小时 35 分钟');
  });

  it('next in line at an open counter: "you are next", and "any moment" under a minute', () => {
    const said = waitWording(ticket(1, { etaMinutes: 0 }), clock);
    expect(said.place).toEqual({ zh: '下一位就是您', en: 'You are next' });
    expect(said.eta).toEqual({ zh: '即将叫号', en: 'Any moment now' });
    expect(said.estimate).toEqual(said.eta);
  });

  it('with every counter closed: the place, no time, and why — never "next" or "no wait"', () => {
    for (const subject of [ticket(1), ticket(3, { etaMinutes: 10 }), service(0), service(4)]) {
      const text = allText({ ...subject, outlook: closed });
      expect(text).not.toMatch(PROMISES);
      expect(waitWording({ ...subject, outlook: closed }, clock).eta).toBeNull();
    }
    const said = waitWording(ticket(1, { outlook: closed }), clock);
    expect(said.place).toEqual({ zh: '您排在第 1 位', en: 'You are first in line' });
    expect(said.basis).toEqual({
      zh: '该业务窗口暂未开放，请咨询工作人员',
      en: 'No counter for this is open yet; please ask our staff',
    });
    expect(waitWording(service(0, { outlook: closed }), clock).place.zh).toBe('0 人等候');
  });

  it('says when the counters are expected: today, tomorrow, or the date', () => {
    const at = (iso: string) => ({ ...closed, expectedOpenAt: iso });
    const say = (iso: string) => waitWording(ticket(2, { outlook: at(iso) }), clock);
    expect(say('2026-11-25T06:00:00Z').short).toEqual({ zh: '预计 14:00 开放', en: 'Opens 14:00' });
    expect(say('2026-11-25T06:00:00Z').basis?.zh).toBe('该业务窗口暂未开放，预计 14:00 开始办理');
    expect(say('2026-11-26T01:00:00Z').short).toEqual({
      zh: '预计 明天 09:00 开放',
      en: 'Opens tomorrow 09:00',
    });
    expect(say('2026-11-28T01:00:00Z').short).toEqual({
      zh: '预计 11月28日 09:00 开放',
      en: 'Opens 28 Nov 09:00',
    });
  });

  it('with the counters paused: says they are paused, with no time', () => {
    const said = waitWording(ticket(2, { outlook: { ...closed, pausedCounters: 2 } }), clock);
    expect(said.eta).toBeNull();
    expect(said.short).toEqual({ zh: '窗口暂停中', en: 'Counters paused' });
  });

  it('for a service: "no wait" only with a counter open, and "closed" outside its hours', () => {
    expect(waitWording(service(0), clock).place).toEqual({ zh: '无需等候', en: 'No wait' });
    expect(waitWording(service(3, { etaMinutes: 8 }), clock).place.zh).toBe('3 人等候');
    expect(waitWording(service(3, { open: false }), clock).place).toEqual({ zh: '暂停服务', en: 'Closed' });
  });

  it('takes the figures of an older answer without an outlook as they come', () => {
    expect(waitWording(ticket(3, { outlook: undefined, etaMinutes: 5 }), clock).eta?.zh).toBe('约 5 分钟');
  });
});
