import { describe, expect, it } from 'vitest';
import type { ServiceView } from '../../server/contract/api.ts';
import { format } from '../i18n/index.ts';
import { waitingText } from './hall-context.ts';

const general: ServiceView = {
  id: 'general',
  prefix: 'A',
  name: { zh: '业务办理', en: 'General business' },
  open: true,
  waiting: 3,
  etaMinutes: 9,
  waitTargetMinutes: 15,
  longestWaitMinutes: 4,
};

describe('waiting text of a service button', () => {
  const zh = (live: ServiceView) => waitingText((text, params) => format(text, 'zh', params), live);
  const en = (live: ServiceView) => waitingText((text, params) => format(text, 'en', params), live);

  it('gives the forecast interval when the hall has one, else the single estimate', () => {
    expect(zh({ ...general, etaRange: { low: 6, high: 12 } })).toBe('3 人等候 · 约 6–12 分钟');
    expect(en({ ...general, etaRange: { low: 6, high: 12 } })).toBe('3 waiting · about 6–12 min');
    expect(zh({ ...general, etaRange: null })).toBe('3 人等候 · 约 9 分钟');
    expect(zh({ ...general, etaRange: { low: 9, high: 9 } })).toBe('3 人等候 · 约 9 分钟');
  });

  it('says no wait, or closed', () => {
    expect(en({ ...general, waiting: 0 })).toBe('No wait');
    expect(en({ ...general, open: false })).toBe('Closed');
  });
});
