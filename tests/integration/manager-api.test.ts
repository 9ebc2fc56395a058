import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ManualClock } from '../../server/domain/clock.ts';
import type { RunningHall } from '../../server/main.ts';
import { type Client, hallWithCallers } from '../helpers/http.ts';
import { readEvents } from '../helpers/sse.ts';

let hall: RunningHall;
let anon: Client;
let staff: Client;
let manager: Client;
const clock = new ManualClock(Date.UTC(2026, 10, 25, 2, 0)); // 10:00 in Shanghai

beforeAll(async () => {
  ({ hall, anon, staff, manager } = await hallWithCallers({ clock }));
});
afterAll(() => hall.close());

const put = (c: Client, body: unknown, headers?: Record<string, string>) =>
  c.request('PUT', '/api/v1/notices', { body, headers });

const envelope = (code: string) => ({
  error: expect.objectContaining({ code, message: expect.any(String) }),
});

/** A base64 data: URL of about `bytes` characters (a PNG header and padding: the server checks form, not pixels). */
const dataUrl = (chars: number) => `data:image/png;base64,${'iVBORw0KGgo'.padEnd(chars - 22, 'A')}`;

describe('notices', () => {
  it('start empty and are readable by anyone, so the wall shows its notices area', async () => {
    const res = await anon.get('/api/v1/notices');
    expect(res.status).toBe(200);
    expect(res.json).toEqual([]);
  });

  it('are replaced as a whole list by a manager, audited, and announced to screens', async () => {
    const stream = readEvents(`${hall.url}/api/v1/events`);
    await stream.next('snapshot');
    const list = [
      { text: { zh: '今日宽带优惠', en: 'Broadband offer today' } },
      { id: 'lunch', text: { zh: '午间照常营业', en: 'Open at lunchtime' }, imageUrl: '/notices/lunch.png' },
      { text: { zh: '扫码取号', en: '' }, imageUrl: dataUrl(150 * 1024) },
    ];
    const res = await put(manager, list);
    expect(res.status).toBe(200);
    expect(res.json).toHaveLength(3);
    expect(res.json[0].id).toMatch(/^[A-Za-z0-9_-]+$/);
    expect(res.json[1]).toEqual(list[1]);
    const event = await stream.next('notices.updated');
    await stream.close();
    expect(event.data.data).toEqual({ count: 3 });
    expect(event.id).toBeGreaterThan(0);

    expect((await anon.get('/api/v1/notices')).json).toEqual(res.json);

    const audit = await manager.get('/api/v1/audit?from=2026-11-25&to=2026-11-25');
    expect(audit.status).toBe(200);
    expect(audit.json.entries[0]).toMatchObject({
      userId: 'manager',
      userName: expect.any(String),
      action: 'notices.replace',
      target: 'notices',
      before: [],
      at: '2026-11-25T02:00:00.000Z',
    });
    expect(audit.json.entries[0].after[1]).toEqual(list[1]);
    // Images are logged by size, not byte for byte.
    expect(audit.json.entries[0].after[2].imageUrl).toMatch(/^data:image\/png;base64,… \(\d+ characters\)$/);
  });

  it('keep the ids given, and an edit is audited as before → after', async () => {
    const current = (await anon.get('/api/v1/notices')).json;
    const edited = [{ ...current[1], text: { zh: '午间不休', en: 'No lunch break' } }];
    expect((await put(manager, edited)).json).toEqual(edited);
    const audit = await manager.get('/api/v1/audit?from=2026-11-25&to=2026-11-25');
    // The notices' two changes (the first start also logs the configuration it stored: config.seed).
    expect(audit.json.entries.filter((a: { target: string }) => a.target === 'notices')).toHaveLength(2);
    expect(audit.json.entries[0].before).toHaveLength(3);
    expect(audit.json.entries[0].after).toEqual(edited);
  });

  it.each([
    ['too many', Array.from({ length: 11 }, (_, i) => ({ text: { zh: `第${i}条`, en: `No. ${i}` } }))],
    ['text too long', [{ text: { zh: '长'.repeat(201), en: '' } }]],
    ['no Chinese text', [{ text: { zh: ' ', en: 'English only' } }]],
    ['an unknown field', [{ text: { zh: '好', en: 'Good' }, colour: 'red' }]],
    ['another site’s image', [{ text: { zh: '好', en: 'Good' }, imageUrl: 'https://example.com/a.png' }]],
    ['a protocol-relative image', [{ text: { zh: '好', en: 'Good' }, imageUrl: '//example.com/a.png' }]],
    ['a script URL', [{ text: { zh: '好', en: 'Good' }, imageUrl: 'javascript:alert(1)' }]],
    ['an SVG data URL', [{ text: { zh: '好', en: 'Good' }, imageUrl: 'data:image/svg+xml;base64,PHN2Zz4=' }]],
    ['an image over 200 KB', [{ text: { zh: '好', en: 'Good' }, imageUrl: dataUrl(200 * 1024 + 10) }]],
    [
      'duplicate ids',
      [
        { id: 'a', text: { zh: '一', en: '' } },
        { id: 'a', text: { zh: '二', en: '' } },
      ],
    ],
    ['not a list', { text: { zh: '好', en: 'Good' } }],
  ])('refuse %s with 400 and keep the list', async (_name, body) => {
    const before = (await anon.get('/api/v1/notices')).json;
    const res = await put(manager, body);
    expect(res.status).toBe(400);
    expect(res.json).toEqual(envelope('invalid-request'));
    expect((await anon.get('/api/v1/notices')).json).toEqual(before);
  });

  it('refuse a cross-site write even from a manager', async () => {
    const res = await put(manager, [], { origin: 'http://evil.example' });
    expect(res.status).toBe(403);
    expect(res.json).toEqual(envelope('cross-origin-refused'));
  });

  it('accept a list of ten notices with large images (over the 64 KB limit of other bodies)', async () => {
    const list = Array.from({ length: 10 }, (_, i) => ({
      text: { zh: `通知${i}`, en: `Notice ${i}` },
      imageUrl: dataUrl(190 * 1024),
    }));
    const res = await put(manager, list);
    expect(res.status).toBe(200);
    expect((await put(manager, [])).status).toBe(200);
  });
});

describe('who may use the manager endpoints', () => {
  const writes: [string, string, unknown][] = [['PUT', '/api/v1/notices', []]];
  const reads = ['/api/v1/audit?from=2026-11-25&to=2026-11-25'];
  it.each(reads)('GET %s: 401 anonymous, 403 staff, 200 manager', async (path) => {
    expect((await anon.get(path)).status).toBe(401);
    expect((await staff.get(path)).json).toEqual(envelope('forbidden'));
    expect((await staff.get(path)).status).toBe(403);
    expect((await manager.get(path)).status).toBe(200);
  });
  it.each(writes)('%s %s: 401 anonymous, 403 staff, 200 manager', async (method, path, body) => {
    expect((await anon.request(method, path, { body })).status).toBe(401);
    expect((await staff.request(method, path, { body })).status).toBe(403);
    expect((await manager.request(method, path, { body })).status).toBe(200);
  });
  it('audit needs a valid date range', async () => {
    expect((await manager.get('/api/v1/audit?from=2026-11-26&to=2026-11-25')).status).toBe(400);
    expect((await manager.get('/api/v1/audit')).status).toBe(400);
  });
});

describe('statistics series and breakdown', () => {
  it('count a ticket served today, rated on SERVQUAL dimensions', async () => {
    const ticket = await anon.post('/api/v1/tickets', { serviceId: 'broadband', channel: 'reception' });
    expect(ticket.status).toBe(201);
    expect((await staff.post('/api/v1/counters/3/open')).status).toBe(200);
    expect((await staff.post('/api/v1/counters/3/call')).json.ticket.number).toBe(ticket.json.number);
    const finished = await staff.post('/api/v1/counters/3/finish', {
      rating: { score: 4, dimensions: { empathy: 5, tangibles: 3 } },
    });
    expect(finished.status).toBe(200);
    expect((await staff.post('/api/v1/counters/3/close')).status).toBe(200);

    const series = await manager.get('/api/v1/stats/series?from=2026-11-20&to=2026-11-25&by=day');
    expect(series.status).toBe(200);
    expect(series.json.points).toHaveLength(6);
    expect(series.json.points[5]).toMatchObject({ period: '2026-11-25', tickets: 1, served: 1 });
    expect(series.json.points[0]).toMatchObject({
      tickets: 0,
      waitMinutes: { avg: null, p50: null, p90: null },
    });
    const weeks = await manager.get('/api/v1/stats/series?from=2026-11-20&to=2026-11-25&by=week');
    expect(weeks.json.points.map((p: { period: string }) => p.period)).toEqual(['2026-11-16', '2026-11-23']);

    const b = await manager.get('/api/v1/stats/breakdown?from=2026-11-25&to=2026-11-25');
    expect(b.status).toBe(200);
    expect(b.json.byStaff).toEqual([expect.objectContaining({ key: 'staff1', tickets: 1, served: 1 })]);
    expect(b.json.arrivals[2][10]).toBe(1); // Wednesday, 10:00 in Shanghai
    expect(b.json.ratings.byStaff[0]).toMatchObject({
      key: 'staff1',
      count: 1,
      avg: 4,
      dimensions: {
        empathy: { count: 1, avg: 5 },
        tangibles: { count: 1, avg: 3 },
        reliability: { count: 0, avg: null },
      },
    });
    expect(b.json.ratings.byCounter).toEqual([expect.objectContaining({ key: '3', count: 1 })]);
    expect(b.json.ratings.byService).toEqual([expect.objectContaining({ key: 'broadband', count: 1 })]);
  });

  it.each([
    ['an unknown period', '/api/v1/stats/series?from=2026-11-25&to=2026-11-25&by=year'],
    ['an unknown parameter', '/api/v1/stats/series?from=2026-11-25&to=2026-11-25&zone=x'],
    ['no range', '/api/v1/stats/breakdown'],
    ['a reversed range', '/api/v1/stats/breakdown?from=2026-11-26&to=2026-11-25'],
    ['not a date', '/api/v1/stats/series?from=2026-02-30&to=2026-03-01'],
    ['over ten years', '/api/v1/stats/series?from=2000-01-01&to=2026-11-25'],
  ])('refuse %s with 400', async (_name, path) => {
    const res = await manager.get(path);
    expect(res.status).toBe(400);
    expect(res.json).toEqual(envelope('invalid-request'));
  });
});
