import { describe, expect, it } from 'vitest';
import { ok } from '../../tests/helpers/test-hall.ts';
import { testKiosk } from '../../tests/helpers/test-kiosk.ts';
import { DEMO_HALL, parseHallConfig } from '../config.ts';
import { DAY } from '../domain/clock.ts';

describe('feedback', () => {
  it('files feedback with a reference per local day: FB-MMDD-NNN', () => {
    const t = testKiosk();
    const file = () =>
      ok(t.kiosk.feedback.file({ kind: 'praise', topics: ['staff'], lang: 'zh' }, { customer: null }))
        .reference;
    expect([file(), file()]).toEqual(['FB-1125-001', 'FB-1125-002']);
    t.clock.advance(DAY);
    expect(file()).toBe('FB-1126-001');
  });

  it('issues a complaints ticket when the customer asks, linked to the complaint, with their tier', async () => {
    const t = testKiosk();
    const read = await t.kiosk.recordDeviceRead('k1', {
      kind: 'id-card',
      name: '李娜',
      idNumber: '110105198503150026',
    });
    const { token } = ok(await t.kiosk.identify.redeemDeviceRead('k1', read.readId));
    const customer = ok(t.kiosk.identify.customer(token, 'k1'));
    const answer = ok(
      t.kiosk.feedback.file(
        { kind: 'complaint', topics: ['billing', 'staff'], lang: 'en', ticket: true },
        { kioskId: 'k1', customer },
      ),
    );
    expect(answer.ticket).toMatchObject({
      serviceId: 'complaints',
      number: 'F001',
      tier: 'vip',
      channel: 'kiosk',
    });
    expect(t.kiosk.feedback.list()).toEqual([
      {
        id: answer.id,
        reference: answer.reference,
        kind: 'complaint',
        topics: ['billing', 'staff'],
        lang: 'en',
        kioskId: 'k1',
        maskedPhone: '138****0002',
        ticketNumber: 'F001',
        at: '2026-11-25T02:00:00.000Z',
      },
    ]);
  });

  it('gives a ticket to complaints only, and only where a complaints service exists', () => {
    const t = testKiosk();
    expect(
      t.kiosk.feedback.file(
        { kind: 'praise', topics: ['staff'], lang: 'zh', ticket: true },
        { customer: null },
      ),
    ).toMatchObject({ status: 400, code: 'invalid-request' });
    const config = parseHallConfig(
      {
        ...DEMO_HALL,
        services: DEMO_HALL.services.filter((s) => s.id !== 'complaints'),
        counters: DEMO_HALL.counters.map((c) => ({
          ...c,
          services: c.services.filter((s) => s !== 'complaints'),
        })),
      },
      'test',
    );
    const none = testKiosk({ config });
    expect(
      none.kiosk.feedback.file(
        { kind: 'complaint', topics: ['other'], lang: 'zh', ticket: true },
        { customer: null },
      ),
    ).toMatchObject({ status: 409, code: 'no-complaints-service' });
    expect(none.kiosk.kiosks.kioskView('k1')).toMatchObject({
      ok: true,
      value: { complaintsServiceId: null },
    });
  });
});

describe('kiosk configuration', () => {
  it('describes a configured kiosk with its devices, and refuses one the hall does not know', () => {
    const t = testKiosk();
    expect(ok(t.kiosk.kiosks.kioskView('k1'))).toEqual({
      id: 'k1',
      idleSeconds: 30,
      warningSeconds: 10,
      complaintsServiceId: 'complaints',
      topUpAmountsFen: [1000, 2000, 5000, 10000],
      devices: [
        { id: 'k1-printer', kind: 'printer', status: 'ok' },
        { id: 'k1-id-reader', kind: 'id-reader', status: 'ok' },
        { id: 'k1-scanner', kind: 'scanner', status: 'ok' },
        { id: 'k1-payment', kind: 'payment', status: 'ok' },
      ],
    });
    expect(t.kiosk.kiosks.kioskView('k9')).toMatchObject({ status: 404, code: 'unknown-kiosk' });
    expect(ok(t.kiosk.kiosks.kioskView('k9', true)).id).toBe('k9');
  });

  it('takes settings and devices from the hall configuration outside the demo', () => {
    const config = parseHallConfig(
      {
        ...DEMO_HALL,
        kiosks: [{ id: 'lobby', idleSeconds: 45, topUpAmountsFen: [3000, 5000] }],
        devices: [
          { id: 'reader-1', kind: 'id-reader', path: '/dev/ttyUSB1', kioskId: 'lobby' },
          { id: 'pad-1', kind: 'keypad', path: '/dev/ttyUSB2', counterId: '1' },
        ],
      },
      'test',
    );
    const t = testKiosk({ config, demo: false, terminal: null });
    expect(ok(t.kiosk.kiosks.kioskView('lobby'))).toEqual({
      id: 'lobby',
      idleSeconds: 45,
      warningSeconds: 10,
      complaintsServiceId: 'complaints',
      topUpAmountsFen: [3000, 5000],
      devices: [{ id: 'reader-1', kind: 'id-reader', status: 'ok' }],
    });
  });
});
