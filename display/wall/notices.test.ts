import { describe, expect, it, vi } from 'vitest';
import { fetchNotices } from './notices.ts';

const date = 'Wed, 25 Nov 2026 09:00:00 GMT';

describe('fetchNotices', () => {
  it('returns the notices of a 200 answer, skipping malformed ones, and reports the server date', async () => {
    const onDate = vi.fn();
    const body = [
      { id: 'n1', text: { zh: '今日 5G 优惠', en: '5G offer today' }, imageUrl: '/media/5g.png' },
      { id: 'n2', text: { zh: '只有中文' } },
      'junk',
    ];
    const fetch = vi.fn(async () => Response.json(body, { headers: { date } }));
    expect(await fetchNotices(fetch, onDate)).toEqual([body[0]]);
    expect(fetch).toHaveBeenCalledWith('/api/v1/notices', expect.anything());
    expect(onDate).toHaveBeenCalledWith(date);
  });

  it('hides the notices when the server has no such endpoint, still reading its clock', async () => {
    const onDate = vi.fn();
    const fetch = async () =>
      Response.json({ error: { code: 'not-found', message: 'no' } }, { status: 404, headers: { date } });
    expect(await fetchNotices(fetch, onDate)).toBeNull();
    expect(onDate).toHaveBeenCalledWith(date);
  });

  it('hides the notices when the server is unreachable or answers something else than a list', async () => {
    expect(
      await fetchNotices(
        () => Promise.reject(new TypeError('failed')),
        () => {},
      ),
    ).toBeNull();
    expect(
      await fetchNotices(
        async () => Response.json({ notices: [] }),
        () => {},
      ),
    ).toBeNull();
  });
});
