// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import { fakeApi } from '../../display/manager/fake-api.tsx';
import type { HqBreakdownRow, HqHall } from '../contract.ts';
import { parseHash } from './app.tsx';
import { attention, Ranking } from './overview.tsx';

afterEach(cleanup);

const none = { avg: null, p50: null, p90: null };
const hall = (id: string, more: Partial<HqHall> = {}): HqHall => ({
  id,
  name: id,
  region: 'guangzhou',
  lastSeenAt: new Date().toISOString(),
  online: true,
  lagSeconds: 3,
  today: {
    tickets: 40,
    served: 30,
    noShows: 1,
    waitMinutes: { avg: 8, p90: 14 },
    withinTargetPct: 91,
    ratingAvg: 4.6,
  },
  day: '2026-11-25',
  clockSkewSeconds: 0,
  ackedThrough: 120,
  appVersion: '0.1.0',
  schemaVersion: 1,
  gap: false,
  catalogueVersion: 2,
  latestCatalogueVersion: 2,
  catalogueBehindDays: null,
  breaching: false,
  ...more,
});

describe('what needs attention', () => {
  it('lists halls away, behind, breaching, off the clock, missing events or on an old catalogue, worst first', () => {
    const list = attention([
      hall('fine'),
      hall('skewed', { clockSkewSeconds: 7200 }),
      hall('breaching', { breaching: true, today: { ...hall('x').today, withinTargetPct: 62 } }),
      hall('away', { online: false, lastSeenAt: new Date(Date.now() - 3_600_000).toISOString() }),
      hall('behind', { lagSeconds: 1800 }),
      hall('old', { catalogueVersion: 1, latestCatalogueVersion: 2, catalogueBehindDays: 3 }),
      hall('never', { lastSeenAt: null, online: false }),
    ]);
    expect(list.map((a) => [a.hall.id, a.what.en])).toEqual([
      ['never', 'Never connected'],
      ['away', 'Offline for 1 h'],
      ['behind', 'Data 30 min behind'],
      ['breaching', 'Within target today 62%, below 80%'],
      ['skewed', 'Clock 2 h fast'],
      ['old', 'Catalogue v1, behind v2'],
    ]);
  });

  it('opens a hall’s detail from the address', () => {
    expect(parseHash('#hall=gz-tianhe')).toEqual({ tab: 'hall', hallId: 'gz-tianhe' });
    expect(parseHash('#trends')).toEqual({ tab: 'trends', hallId: null });
    expect(parseHash('#nonsense')).toEqual({ tab: 'overview', hallId: null });
  });
});

describe('the ranking', () => {
  it('ranks by share within target, best first, halls without figures last, and sorts by wait p90', async () => {
    const row = (key: string, within: number | null, p90: number | null): HqBreakdownRow => ({
      ...{ key, name: key, tickets: within === null ? 0 : 100, served: 90, noShows: 2 },
      ...{
        waitMinutes: p90 === null ? none : { avg: 5, p50: 4, p90 },
        withinTargetPct: within,
        ratingAvg: 4.5,
      },
    });
    const rows = [row('b', 80, 20), row('empty', null, null), row('a', 95, 12), row('c', 70, 30)];
    const api = fakeApi({});
    render(api.wrap(<Ranking label={{ zh: '营业厅排名', en: 'Halls ranked' }} rows={rows} />));
    const names = () => [...document.querySelectorAll('tbody tr')].map((tr) => tr.children[1]!.textContent);
    expect(names()).toEqual(['a', 'b', 'c', 'empty']);
    (await screen.findByRole('button', { name: /等待 p90/ })).click();
    await new Promise((r) => setTimeout(r, 0));
    expect(names()).toEqual(['a', 'b', 'c', 'empty']);
    (await screen.findByRole('button', { name: /等待 p90/ })).click();
    await new Promise((r) => setTimeout(r, 0));
    expect(names()).toEqual(['c', 'b', 'a', 'empty']);
  });
});
