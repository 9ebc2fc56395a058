// @vitest-environment happy-dom
import { cleanup, render, screen } from '@testing-library/preact';
import { afterEach, describe, expect, it } from 'vitest';
import type { HealthAnswer } from '../../server/contract/api.ts';
import { fakeApi } from './fake-api.tsx';
import { HqLink } from './hq-link.tsx';

afterEach(cleanup);

const health = (hq: HealthAnswer['hq']): HealthAnswer => ({
  ok: true,
  db: 'ok',
  devices: [],
  storage: { writable: true, fault: null, lastWriteAt: null, disk: null, wal: null, lastBackupAt: null },
  clock: { behindSeconds: 0 },
  problems: [],
  hq,
});

describe('the link to HQ on the live page', () => {
  it('says HQ is not connected, the last event it acknowledged, and how far behind it is', async () => {
    const api = fakeApi({
      '/health': health({
        connected: false,
        url: 'http://hq.example:8090',
        lastAckedSeq: 1204,
        lastAckedAt: '2026-11-25T02:00:00.000Z',
        lagSeconds: 25 * 60,
        pendingEvents: 37,
        problem: 'HQ unreachable: connect ECONNREFUSED',
        catalogueVersion: 3,
        pendingCatalogueVersion: null,
      }),
    });
    render(api.wrap(<HqLink />));
    await screen.findByText('未连接');
    const text = document.querySelector('.hq-link')!.textContent!;
    expect(text).toContain('#1204');
    expect(text).toContain('37 条待发送，滞后 25 分钟');
    expect(text).toContain('ECONNREFUSED');
  });

  it('shows nothing when the hall ships to no HQ', async () => {
    const api = fakeApi({ '/health': health(null) });
    const { container } = render(api.wrap(<HqLink />));
    await new Promise((r) => setTimeout(r, 20));
    expect(api.paths()).toEqual(['/health']);
    expect(container.textContent).toBe('');
  });
});
