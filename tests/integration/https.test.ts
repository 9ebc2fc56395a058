/**
 * HTTPS, two ways: the hall serves it itself with the installer's certificate (HALLQ_TLS_CERT and
 * HALLQ_TLS_KEY; here one made with openssl by the test's own authority), or a reverse proxy does it
 * and HALLQ_TRUST_PROXY names the proxy, whose X-Forwarded-Proto then makes the session cookie Secure
 * and whose X-Forwarded-For is the address the sign-in rule counts. Nobody else's forwarded headers
 * count for anything.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadSettings } from '../../server/config.ts';
import type { RunningHall } from '../../server/main.ts';
import { nodeRequest, startTestServer } from '../helpers/http.ts';
import { hallCertificates } from '../helpers/tls.ts';

const login = { username: 'manager', password: 'demo-manager' };
const signIn = (
  hall: RunningHall,
  options: { headers?: Record<string, string>; ca?: string; password?: string } = {},
) =>
  nodeRequest(`${hall.url}/api/v1/auth/login`, {
    method: 'POST',
    body: { ...login, password: options.password ?? login.password },
    headers: options.headers,
    ca: options.ca,
  });
const cookieOf = (res: { headers: Headers }) => res.headers.get('set-cookie') ?? '';

describe('HTTPS served by the hall', () => {
  const certs = hallCertificates();
  let hall: RunningHall;
  beforeAll(async () => {
    // As the installer sets it: the two files named in the environment.
    const { tls } = loadSettings({ HALLQ_TLS_CERT: certs.files.cert, HALLQ_TLS_KEY: certs.files.key });
    hall = await startTestServer({ settings: { tls } });
  });
  afterAll(() => hall.close());

  it('answers over TLS with the installer’s certificate, trusted through the hall’s authority', async () => {
    expect(hall.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const health = await nodeRequest(`${hall.url}/api/v1/health`, { ca: certs.ca });
    expect(health.status).toBe(200);
    // Without the hall's authority the certificate is not trusted: it is the one served.
    await expect(nodeRequest(`${hall.url}/api/v1/health`)).rejects.toThrow(
      /unable to verify the first certificate/,
    );
  });

  it('gives a Secure, HttpOnly, SameSite=Strict session cookie', async () => {
    const res = await signIn(hall, { ca: certs.ca });
    expect(res.status).toBe(200);
    const cookie = cookieOf(res);
    for (const attribute of ['Secure', 'HttpOnly', 'SameSite=Strict']) expect(cookie).toContain(attribute);
  });

  it('does not speak plain HTTP on its port', async () => {
    await expect(nodeRequest(`${hall.url.replace('https:', 'http:')}/api/v1/health`)).rejects.toThrow();
  });
});

describe('HTTPS at a reverse proxy (HALLQ_TRUST_PROXY)', () => {
  let trusting: RunningHall;
  let plain: RunningHall;
  beforeAll(async () => {
    // The proxy runs on the box itself (nginx on 127.0.0.1): requests here come from loopback.
    const { trustProxy } = loadSettings({ HALLQ_TRUST_PROXY: 'loopback' });
    trusting = await startTestServer({ settings: { trustProxy } });
    plain = await startTestServer();
  });
  afterAll(async () => {
    await trusting.close();
    await plain.close();
  });

  it('makes the cookie Secure when the trusted proxy says the request came over HTTPS', async () => {
    expect(cookieOf(await signIn(trusting, { headers: { 'x-forwarded-proto': 'https' } }))).toContain(
      'Secure',
    );
    expect(cookieOf(await signIn(trusting, { headers: { 'x-forwarded-proto': 'http' } }))).not.toContain(
      'Secure',
    );
    expect(cookieOf(await signIn(trusting))).not.toContain('Secure');
  });

  it('believes no forwarded header without HALLQ_TRUST_PROXY', async () => {
    const res = await signIn(plain, { headers: { 'x-forwarded-proto': 'https' } });
    expect(res.status).toBe(200);
    expect(cookieOf(res)).not.toContain('Secure');
    // Nor can a guesser pretend to be many machines to get past the sign-in rule.
    for (let i = 0; i < 10; i++)
      expect(
        (await signIn(plain, { password: 'guess', headers: { 'x-forwarded-for': `198.51.100.${i}` } }))
          .status,
      ).toBe(401);
    expect((await signIn(plain, { headers: { 'x-forwarded-for': '198.51.100.99' } })).status).toBe(429);
  });

  it('counts failed sign-ins by the client address the trusted proxy forwards', async () => {
    const from = (address: string) => ({ 'x-forwarded-for': address, 'x-forwarded-proto': 'https' });
    for (let i = 0; i < 10; i++)
      expect((await signIn(trusting, { password: 'guess', headers: from('198.51.100.7') })).status).toBe(401);
    expect((await signIn(trusting, { headers: from('198.51.100.7') })).status).toBe(429);
    // Another machine behind the same proxy is not refused.
    expect((await signIn(trusting, { headers: from('198.51.100.8') })).status).toBe(200);
  });
});
