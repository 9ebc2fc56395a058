import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../../../tests/helpers/temp-dir.ts';
import { openDatabase } from '../../db/open.ts';
import { ManualClock } from '../../domain/clock.ts';
import { hallSalt, hashIdNumber } from '../privacy.ts';
import { createDemoBss, DEMO_CUSTOMERS, seedDemoBss } from './demo-bss.ts';

const NOON = Date.UTC(2026, 10, 25, 4, 0); // 2026-11-25 12:00 in Shanghai

function demoBss(start = NOON) {
  const db = openDatabase(join(tempDir(), 'bss.sqlite'));
  const clock = new ManualClock(start);
  seedDemoBss(db, clock, 'Asia/Shanghai');
  return { db, clock, bss: createDemoBss(db, clock) };
}

describe('demo BSS', () => {
  it('finds the demo customers by phone, ID number hash, member code and id; masked data only', async () => {
    const { db, bss } = demoBss();
    const li = {
      customerId: 'demo-0002',
      maskedPhone: '138****0002',
      maskedName: '李*',
      age: 41,
      star: true,
    };
    expect(await bss.findCustomer({ phone: '13800000002' })).toEqual(li);
    expect(
      await bss.findCustomer({ idNumberHash: hashIdNumber(hallSalt(db), '110105198503150026') }),
    ).toEqual(li);
    expect(await bss.findCustomer({ memberCode: 'HALLQ-M-1002' })).toEqual(li);
    expect(await bss.findCustomer({ customerId: 'demo-0002' })).toEqual(li);
    expect(await bss.findCustomer({ phone: '13912345678' })).toBeNull();
    expect(await bss.findCustomer({ phone: '13800000003' })).toMatchObject({ age: 72, star: false });
  });

  it('keeps no phone, ID number or name in clear', () => {
    const { db } = demoBss();
    const all = JSON.stringify(db.prepare('SELECT * FROM demo_bss_accounts').all());
    for (const c of DEMO_CUSTOMERS) {
      expect(all).not.toContain(c.phone);
      expect(all).not.toContain(c.idNumber);
      expect(all).not.toContain(c.name);
    }
  });

  it('credits a top-up once per order id and repeats the first answer', async () => {
    const { bss } = demoBss();
    const first = await bss.topUp({ orderId: 'o1', customerId: 'demo-0001', amountFen: 1000 });
    expect(first).toMatchObject({ ok: true, amountFen: 1000, balanceFen: 6620 });
    expect(await bss.topUp({ orderId: 'o1', customerId: 'demo-0001', amountFen: 1000 })).toEqual(first);
    expect((await bss.account('demo-0001'))?.balanceFen).toBe(6620);
  });

  it('pays a bill of the right amount once; refuses a paid one, a wrong amount and an unknown period', async () => {
    const { bss } = demoBss();
    const bill = (await bss.account('demo-0001'))!.bill!;
    expect(bill).toEqual({ period: '2026-10', amountFen: 12_800, dueDate: '2026-11-20', paid: false });
    expect(
      await bss.payBill({ orderId: 'x', customerId: 'demo-0001', period: '2026-10', amountFen: 100 }),
    ).toEqual({
      ok: false,
      reason: 'amount-mismatch',
    });
    expect(
      await bss.payBill({ orderId: 'a', customerId: 'demo-0001', period: '2026-10', amountFen: 12_800 }),
    ).toMatchObject({
      ok: true,
    });
    expect(
      await bss.payBill({ orderId: 'b', customerId: 'demo-0001', period: '2026-10', amountFen: 12_800 }),
    ).toEqual({
      ok: false,
      reason: 'bill-already-paid',
    });
    expect(
      await bss.payBill({ orderId: 'c', customerId: 'demo-0001', period: '1999-01', amountFen: 1 }),
    ).toEqual({
      ok: false,
      reason: 'unknown-period',
    });
    expect((await bss.account('demo-0001'))!.invoicePeriods[0]).toBe('2026-10');
    expect(await bss.invoice('demo-0001', '2026-10')).toMatchObject({ totalFen: 12_800, period: '2026-10' });
  });

  it('sells a pack against the balance, refusing one the balance does not cover', async () => {
    const { bss } = demoBss();
    expect(await bss.buyPack({ orderId: 'p1', customerId: 'demo-0004', packId: 'data-10g' })).toEqual({
      ok: false,
      reason: 'insufficient-balance',
    });
    expect(await bss.buyPack({ orderId: 'p2', customerId: 'demo-0001', packId: 'voice-100' })).toMatchObject({
      ok: true,
      amountFen: 1000,
      balanceFen: 4620,
    });
    expect((await bss.account('demo-0001'))!.usage.voiceMinutes.included).toBe(600);
    expect(await bss.buyPack({ orderId: 'p3', customerId: 'demo-0001', packId: 'nope' })).toEqual({
      ok: false,
      reason: 'unknown-pack',
    });
  });

  it('keeps what customers did across a restart and adds the bills of a new month', async () => {
    const { db, clock, bss } = demoBss();
    await bss.topUp({ orderId: 'o1', customerId: 'demo-0002', amountFen: 500 });
    clock.set(Date.UTC(2026, 11, 10, 4, 0)); // 2026-12-10
    seedDemoBss(db, clock, 'Asia/Shanghai');
    const account = (await bss.account('demo-0002'))!;
    expect(account.balanceFen).toBe(88_800 + 500);
    expect(account.bill?.period).toBe('2026-11');
  });
});
