import { describe, expect, it, vi } from 'vitest';
import { ApiError } from '../../server/contract/client.ts';
import { errorText, sessionApi } from './use-api.ts';

describe('errors as the manager reads them', () => {
  it('say what happened in both languages, then the server’s own words', () => {
    expect(errorText(new ApiError(400, 'invalid-request', 'body.1.prefix: duplicate prefix A'))).toBe(
      '输入有误 / Invalid input: body.1.prefix: duplicate prefix A',
    );
    expect(errorText(new ApiError(409, 'version-conflict', 'reload'))).toMatch(/^未保存.* \/ Not saved/);
    expect(errorText(new ApiError(0, 'unreachable', 'Failed to fetch'))).toBe(
      '无法连接服务器 / Server unreachable',
    );
    expect(errorText(new ApiError(502, 'http-error', 'HTTP 502'))).toBe(
      '操作失败 / Something went wrong (502): HTTP 502',
    );
  });
});

describe('the signed-in client', () => {
  it('reports a 401 on any request as the end of the session, and still rejects', async () => {
    const ended = vi.fn();
    const responses = [
      new Response(JSON.stringify({ ok: true }), { status: 200 }),
      new Response(JSON.stringify({ error: { code: 'forbidden', message: 'no' } }), { status: 403 }),
      new Response(JSON.stringify({ error: { code: 'unauthenticated', message: 'sign in' } }), {
        status: 401,
      }),
    ];
    vi.stubGlobal('fetch', () => Promise.resolve(responses.shift()!));
    try {
      const client = sessionApi(ended);
      await client.get('/config');
      await expect(client.put('/config/services', [])).rejects.toMatchObject({ status: 403 });
      expect(ended).not.toHaveBeenCalled();
      await expect(client.post('/config/staff', {})).rejects.toMatchObject({ status: 401 });
      expect(ended).toHaveBeenCalledTimes(1);
    } finally {
      vi.unstubAllGlobals();
    }
  });
});
