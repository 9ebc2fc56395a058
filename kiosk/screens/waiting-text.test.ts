import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../../server/contract/api.ts';
import { serviceWaitText } from './hall-context.ts';

const general: ServiceView = {
  id: 'general',
  prefix: 'A',
  name: { zh: '业务办理', en: 'General business' },
  open: true,
  waiting: 3,
  etaMinutes: 9,
  outlook: { servedNow: true, pausedCounters: 0, expectedOpenAt: null },
  waitTargetMinutes: 15,
  longestWaitMinutes: 4,
};
/** 2026-11-25 10:00 in Shanghai. */
const NOW = Date.UTC(2026, 10, 25, 2, 0);
const text = (lang: 'zh' | 'en', live: ServiceView) => serviceWaitText(lang, live, 'Asia/Shanghai', NOW);

describe('the wait line of a service button', () => {
  it('gives the forecast interval when the hall has one, else the single estimate', () => {
    expect(text('zh', { ...general, etaRange: { low: 6, high: 12 } })).toBe('3 人等候 · 约 6–12 分钟');
    expect(text('en', { ...general, etaRange: { low: 6, high: 12 } })).toBe('3 waiting · about 6–12 min');
    expect(text('zh', { ...general, etaRange: null })).toBe('3 人等候 · 约 9 分钟');
  });

  it('says no wait only while a counter serving it is open, and closed outside its hours', () => {
    expect(text('en', { ...general, waiting: 0 })).toBe('No wait');
    expect(text('en', { ...general, open: false })).toBe('Closed');
    const unserved = { ...general, waiting: 0, outlook: { ...general.outlook!, servedNow: false } };
    expect(text('zh', unserved)).toBe('0 人等候 · 窗口暂未开放');
    const later = { ...unserved.outlook, expectedOpenAt: '2026-11-25T06:00:00Z' };
    expect(text('en', { ...unserved, outlook: later })).toBe('0 waiting · Opens 14:00');
  });
});
