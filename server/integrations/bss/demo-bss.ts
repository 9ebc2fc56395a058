/**
 * The demo BSS: the embedded default of `Bss`, on the hall's own SQLite (tables `demo_bss_*`). It keeps
 * what a real BSS would, minus the clear personal data: phones and ID numbers only as salted hashes.
 * `seedDemoBss` fills it with the demo customers in demo mode; outside demo mode it stays empty unless
 * someone seeds it, so a real hall never shows made-up accounts.
 */
import type Database from 'better-sqlite3';
import type { Clock } from '../../domain/clock.ts';
import { localTime } from '../../domain/hall-time.ts';
import { ageOn, hallSalt, hashIdNumber, hashPhone, maskName, maskPhone, sha256 } from '../privacy.ts';
import type {
  AccountSummary,
  AddOnPack,
  Bss,
  BssCredit,
  BssCustomer,
  BssCustomerQuery,
  BssInvoice,
} from './bss.ts';

type AccountRow = {
  id: string;
  phone_masked: string;
  name_masked: string;
  age: number | null;
  star: number;
  plan_zh: string;
  plan_en: string;
  balance_fen: number;
  data_used_mb: number;
  data_included_mb: number;
  voice_used_minutes: number;
  voice_included_minutes: number;
};
type BillRow = { period: string; amount_fen: number; due_date: string; paid_at: number | null };
type PackRow = {
  id: string;
  name_zh: string;
  name_en: string;
  description_zh: string;
  description_en: string;
  price_fen: number;
  data_mb: number;
  voice_minutes: number;
};

export function createDemoBss(db: Database.Database, clock: Clock): Bss {
  const salt = hallSalt(db);
  const st = {
    byPhone: db.prepare<[string], AccountRow>('SELECT * FROM demo_bss_accounts WHERE phone_hash = ?'),
    byIdNumber: db.prepare<[string], AccountRow>('SELECT * FROM demo_bss_accounts WHERE id_number_hash = ?'),
    byMemberCode: db.prepare<[string], AccountRow>(
      'SELECT * FROM demo_bss_accounts WHERE member_code_hash = ?',
    ),
    byId: db.prepare<[string], AccountRow>('SELECT * FROM demo_bss_accounts WHERE id = ?'),
    bills: db.prepare<[string], BillRow>(
      'SELECT period, amount_fen, due_date, paid_at FROM demo_bss_bills WHERE account_id = ? ORDER BY period DESC',
    ),
    bill: db.prepare<[string, string], BillRow>(
      'SELECT period, amount_fen, due_date, paid_at FROM demo_bss_bills WHERE account_id = ? AND period = ?',
    ),
    packs: db.prepare<[], PackRow>('SELECT * FROM demo_bss_packs ORDER BY price_fen'),
    pack: db.prepare<[string], PackRow>('SELECT * FROM demo_bss_packs WHERE id = ?'),
    order: db.prepare<[string], { result: string }>('SELECT result FROM demo_bss_orders WHERE order_id = ?'),
    insertOrder: db.prepare(
      'INSERT INTO demo_bss_orders(order_id, account_id, kind, amount_fen, result, at) VALUES (?, ?, ?, ?, ?, ?)',
    ),
    addBalance: db.prepare('UPDATE demo_bss_accounts SET balance_fen = balance_fen + ? WHERE id = ?'),
    addAllowance: db.prepare(
      `UPDATE demo_bss_accounts SET data_included_mb = data_included_mb + ?,
         voice_included_minutes = voice_included_minutes + ? WHERE id = ?`,
    ),
    payBill: db.prepare('UPDATE demo_bss_bills SET paid_at = ? WHERE account_id = ? AND period = ?'),
  };

  const customerOf = (row: AccountRow): BssCustomer => ({
    customerId: row.id,
    maskedPhone: row.phone_masked,
    maskedName: row.name_masked,
    age: row.age,
    star: row.star === 1,
  });

  /** Runs a money call once per order id; a repeated order id gets the first answer back. */
  function once(
    orderId: string,
    customerId: string,
    kind: string,
    amountFen: number,
    body: (account: AccountRow) => BssCredit,
  ): BssCredit {
    return db.transaction(() => {
      const seen = st.order.get(orderId);
      if (seen) return JSON.parse(seen.result) as BssCredit;
      const account = st.byId.get(customerId);
      const result: BssCredit = account ? body(account) : { ok: false, reason: 'unknown-customer' };
      st.insertOrder.run(orderId, customerId, kind, amountFen, JSON.stringify(result), clock.now());
      return result;
    })();
  }

  const reference = (orderId: string) => `BSS-${sha256(orderId).slice(0, 10).toUpperCase()}`;
  const balanceOf = (id: string) => st.byId.get(id)!.balance_fen;

  return {
    async findCustomer(query: BssCustomerQuery) {
      let row: AccountRow | undefined;
      if ('phone' in query) row = st.byPhone.get(hashPhone(salt, query.phone));
      else if ('idNumberHash' in query) row = st.byIdNumber.get(query.idNumberHash);
      else if ('memberCode' in query) row = st.byMemberCode.get(sha256(query.memberCode.trim()));
      else row = st.byId.get(query.customerId);
      return row ? customerOf(row) : null;
    },

    async account(customerId) {
      const row = st.byId.get(customerId);
      if (!row) return null;
      const bills = st.bills.all(customerId);
      const newest = bills[0];
      const summary: AccountSummary = {
        maskedPhone: row.phone_masked,
        plan: { zh: row.plan_zh, en: row.plan_en },
        balanceFen: row.balance_fen,
        bill: newest
          ? {
              period: newest.period,
              amountFen: newest.amount_fen,
              dueDate: newest.due_date,
              paid: newest.paid_at !== null,
            }
          : null,
        usage: {
          dataMb: { used: row.data_used_mb, included: row.data_included_mb },
          voiceMinutes: { used: row.voice_used_minutes, included: row.voice_included_minutes },
        },
        invoicePeriods: bills.filter((b) => b.paid_at !== null).map((b) => b.period),
      };
      return summary;
    },

    async packs(customerId) {
      if (!st.byId.get(customerId)) return [];
      return st.packs.all().map(
        (p): AddOnPack => ({
          id: p.id,
          name: { zh: p.name_zh, en: p.name_en },
          description: { zh: p.description_zh, en: p.description_en },
          priceFen: p.price_fen,
        }),
      );
    },

    async invoice(customerId, period) {
      const row = st.byId.get(customerId);
      const bill = row ? st.bill.get(customerId, period) : undefined;
      if (!row || !bill || bill.paid_at === null) return null;
      const invoice: BssInvoice = {
        period,
        number: `INV-${period.replace('-', '')}-${sha256(customerId).slice(0, 6).toUpperCase()}`,
        lines: [
          {
            label: { zh: `${row.plan_zh} 月费`, en: `${row.plan_en} monthly fee` },
            amountFen: bill.amount_fen,
          },
        ],
        totalFen: bill.amount_fen,
      };
      return invoice;
    },

    async topUp({ orderId, customerId, amountFen }) {
      return once(orderId, customerId, 'top-up', amountFen, (account) => {
        st.addBalance.run(amountFen, account.id);
        return { ok: true, reference: reference(orderId), amountFen, balanceFen: balanceOf(account.id) };
      });
    },

    async payBill({ orderId, customerId, period, amountFen }) {
      return once(orderId, customerId, 'bill', amountFen, (account) => {
        const bill = st.bill.get(account.id, period);
        if (!bill) return { ok: false, reason: 'unknown-period' };
        if (bill.paid_at !== null) return { ok: false, reason: 'bill-already-paid' };
        if (bill.amount_fen !== amountFen) return { ok: false, reason: 'amount-mismatch' };
        st.payBill.run(clock.now(), account.id, period);
        return { ok: true, reference: reference(orderId), amountFen, balanceFen: account.balance_fen };
      });
    },

    async buyPack({ orderId, customerId, packId }) {
      const price = st.pack.get(packId)?.price_fen ?? 0;
      return once(orderId, customerId, 'pack', price, (account) => {
        const pack = st.pack.get(packId);
        if (!pack) return { ok: false, reason: 'unknown-pack' };
        if (account.balance_fen < pack.price_fen) return { ok: false, reason: 'insufficient-balance' };
        st.addBalance.run(-pack.price_fen, account.id);
        st.addAllowance.run(pack.data_mb, pack.voice_minutes, account.id);
        return {
          ok: true,
          reference: reference(orderId),
          amountFen: pack.price_fen,
          balanceFen: balanceOf(account.id),
        };
      });
    },
  };
}

// ---------- demo data ----------

/** A demo customer as the README lists it; the clear values are hashed before they are stored. */
export type DemoCustomer = {
  id: string;
  phone: string;
  name: string;
  birthDate: string;
  idNumber: string;
  memberCode: string | null;
  star: boolean;
  plan: { zh: string; en: string };
  balanceFen: number;
  monthlyFeeFen: number;
  /** The newest bill unpaid? Older ones are always paid. */
  billDue: boolean;
  /** Overrides the newest bill's amount (e.g. one ending in 99 fen, which the simulated terminal declines). */
  newestBillFen?: number;
  dataMb: { used: number; included: number };
  voiceMinutes: { used: number; included: number };
};

export const DEMO_CUSTOMERS: readonly DemoCustomer[] = [
  {
    id: 'demo-0001',
    phone: '13800000001',
    name: '张伟',
    birthDate: '1990-01-01',
    idNumber: '110101199001010011',
    memberCode: 'HALLQ-M-1001',
    star: false,
    plan: { zh: '畅享套餐 128元', en: 'Enjoy plan ¥128' },
    balanceFen: 5620,
    monthlyFeeFen: 12800,
    billDue: true,
    dataMb: { used: 12_595, included: 30_720 },
    voiceMinutes: { used: 210, included: 500 },
  },
  {
    id: 'demo-0002',
    phone: '13800000002',
    name: '李娜',
    birthDate: '1985-03-15',
    idNumber: '110105198503150026',
    memberCode: 'HALLQ-M-1002',
    star: true,
    plan: { zh: '尊享套餐 588元', en: 'Premier plan ¥588' },
    balanceFen: 88_800,
    monthlyFeeFen: 58_800,
    billDue: false,
    dataMb: { used: 40_960, included: 102_400 },
    voiceMinutes: { used: 820, included: 3000 },
  },
  {
    id: 'demo-0003',
    phone: '13800000003',
    name: '王秀英',
    birthDate: '1954-04-12',
    idNumber: '110102195404120048',
    memberCode: 'HALLQ-M-1003',
    star: false,
    plan: { zh: '长辈关怀套餐 38元', en: 'Senior care plan ¥38' },
    balanceFen: 1250,
    monthlyFeeFen: 3800,
    billDue: true,
    dataMb: { used: 600, included: 5120 },
    voiceMinutes: { used: 95, included: 300 },
  },
  {
    id: 'demo-0004',
    phone: '13800000004',
    name: '赵磊',
    birthDate: '1998-07-08',
    idNumber: '110106199807080035',
    memberCode: null,
    star: false,
    plan: { zh: '畅享套餐 58元', en: 'Enjoy plan ¥58' },
    balanceFen: 300,
    monthlyFeeFen: 5800,
    billDue: true,
    newestBillFen: 5699,
    dataMb: { used: 9800, included: 10_240 },
    voiceMinutes: { used: 150, included: 200 },
  },
];

export const DEMO_PACKS: readonly PackRow[] = [
  {
    id: 'voice-100',
    name_zh: '100分钟语音包',
    name_en: '100 voice minutes',
    description_zh: '国内通话100分钟，当月有效',
    description_en: '100 minutes of domestic calls, valid this month',
    price_fen: 1000,
    data_mb: 0,
    voice_minutes: 100,
  },
  {
    id: 'data-10g',
    name_zh: '10GB流量包',
    name_en: '10 GB data pack',
    description_zh: '国内通用流量10GB，当月有效',
    description_en: '10 GB of domestic data, valid this month',
    price_fen: 3000,
    data_mb: 10_240,
    voice_minutes: 0,
  },
  {
    id: 'roam-asia-7d',
    name_zh: '亚太漫游7天包',
    name_en: 'Asia-Pacific roaming, 7 days',
    description_zh: '亚太多国每天1GB流量，7天有效',
    description_en: '1 GB of data a day in Asia-Pacific countries, for 7 days',
    price_fen: 6800,
    data_mb: 0,
    voice_minutes: 0,
  },
];

/** YYYY-MM, `back` months before the month of `day`. */
function periodBefore(day: string, back: number): string {
  const [y, m] = day.split('-').map(Number) as [number, number];
  const index = y * 12 + (m - 1) - back;
  return `${Math.floor(index / 12)}-${String((index % 12) + 1).padStart(2, '0')}`;
}

/**
 * Creates or refreshes the demo customers and packs. Profiles are rewritten; balances, usage and paid
 * bills are kept across restarts (what a customer did in the demo stays done). Each run adds the bills
 * of the last six months that are missing, so a demo database stays current month after month.
 */
export function seedDemoBss(db: Database.Database, clock: Clock, timeZone: string): void {
  const salt = hallSalt(db);
  const today = localTime(clock.now(), timeZone).day;
  const upsert = db.prepare(
    `INSERT INTO demo_bss_accounts(id, phone_hash, phone_masked, id_number_hash, member_code_hash, name_masked, age,
       star, plan_zh, plan_en, balance_fen, data_used_mb, data_included_mb, voice_used_minutes, voice_included_minutes)
     VALUES (@id, @phoneHash, @phoneMasked, @idHash, @memberHash, @nameMasked, @age, @star, @planZh, @planEn,
       @balance, @dataUsed, @dataIncluded, @voiceUsed, @voiceIncluded)
     ON CONFLICT(id) DO UPDATE SET phone_hash = excluded.phone_hash, phone_masked = excluded.phone_masked,
       id_number_hash = excluded.id_number_hash, member_code_hash = excluded.member_code_hash,
       name_masked = excluded.name_masked, age = excluded.age, star = excluded.star,
       plan_zh = excluded.plan_zh, plan_en = excluded.plan_en`,
  );
  const insertBill = db.prepare(
    'INSERT OR IGNORE INTO demo_bss_bills(account_id, period, amount_fen, due_date, paid_at) VALUES (?, ?, ?, ?, ?)',
  );
  const upsertPack = db.prepare(
    `INSERT INTO demo_bss_packs(id, name_zh, name_en, description_zh, description_en, price_fen, data_mb, voice_minutes)
     VALUES (@id, @name_zh, @name_en, @description_zh, @description_en, @price_fen, @data_mb, @voice_minutes)
     ON CONFLICT(id) DO UPDATE SET name_zh = excluded.name_zh, name_en = excluded.name_en,
       description_zh = excluded.description_zh, description_en = excluded.description_en,
       price_fen = excluded.price_fen, data_mb = excluded.data_mb, voice_minutes = excluded.voice_minutes`,
  );
  db.transaction(() => {
    for (const c of DEMO_CUSTOMERS) {
      upsert.run({
        id: c.id,
        phoneHash: hashPhone(salt, c.phone),
        phoneMasked: maskPhone(c.phone),
        idHash: hashIdNumber(salt, c.idNumber),
        memberHash: c.memberCode ? sha256(c.memberCode) : null,
        nameMasked: maskName(c.name),
        age: ageOn(c.birthDate, today),
        star: c.star ? 1 : 0,
        planZh: c.plan.zh,
        planEn: c.plan.en,
        balance: c.balanceFen,
        dataUsed: c.dataMb.used,
        dataIncluded: c.dataMb.included,
        voiceUsed: c.voiceMinutes.used,
        voiceIncluded: c.voiceMinutes.included,
      });
      for (let back = 6; back >= 1; back--) {
        const period = periodBefore(today, back);
        const due = `${periodBefore(today, back - 1)}-20`;
        const newest = back === 1;
        const amount =
          newest && c.newestBillFen !== undefined
            ? c.newestBillFen
            : c.monthlyFeeFen + ((back - 1) % 3) * 150;
        // Bills older than the newest are settled; the newest is due for some customers.
        insertBill.run(c.id, period, amount, due, newest && c.billDue ? null : clock.now());
      }
    }
    for (const p of DEMO_PACKS) upsertPack.run(p);
  })();
}
