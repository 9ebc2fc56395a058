/**
 * Generates days of a busy hall straight into a new SQLite database made with the real migrations, for
 * the statistics benchmark and for trying the manager pages on a year of data.
 *
 *   node --import tsx scripts/generate-history.ts --days 365 --per-day 1500 --db /tmp/year.sqlite
 *     [--end YYYY-MM-DD (last day, default yesterday in the hall)] [--seed 1]
 *
 * Each day is a small queue simulation of the demo hall (DEMO_HALL services and counters), open 09:00–18:00
 * Asia/Shanghai: arrivals follow an intraday curve with a late-morning and an afternoon peak; each counter
 * serves its own service first and otherwise the longest wait among the services it helps with; service
 * times are lognormal per service; customers give up when their (lognormal) patience runs out; about 4 %
 * of called customers do not show; whoever still waits at 18:00 is closed as unserved. Ticket rows carry
 * the timestamps and status fields the server would have written, and the event log gets the issued,
 * called, serving and finished / no-show / cancelled events in time order.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { counterServiceWeights, DEMO_HALL, type HallConfig } from '../server/config.ts';
import { SERVQUAL } from '../server/contract/api.ts';
import { openDatabase } from '../server/db/open.ts';
import { addDays, instantOf, localTime } from '../server/domain/hall-time.ts';

const MINUTE = 60_000;
const OPEN_MINUTE = 9 * 60;
const CLOSE_MINUTE = 18 * 60;
/** Relative arrivals per opening hour, 09 … 17. */
const HOURLY_ARRIVALS = [0.8, 1.35, 1.3, 0.85, 0.8, 1.1, 1.25, 1.1, 0.55];

/** Share of tickets and median service minutes per service: payments are quick, complaints are not. */
const SERVICE_MIX: Record<string, { share: number; medianMinutes: number }> = {
  general: { share: 0.33, medianMinutes: 1.5 },
  payments: { share: 0.34, medianMinutes: 0.7 },
  devices: { share: 0.1, medianMinutes: 2 },
  broadband: { share: 0.08, medianMinutes: 1.8 },
  business: { share: 0.05, medianMinutes: 2.2 },
  vip: { share: 0.05, medianMinutes: 1.6 },
  complaints: { share: 0.03, medianMinutes: 3 },
  retention: { share: 0.02, medianMinutes: 2.6 },
};
/** Relative tickets per weekday, Monday … Sunday: Saturday is the busiest; a week averages `perDay`. */
const WEEKDAY_LOAD = [1.0, 0.95, 0.95, 1.0, 1.05, 1.1, 0.95];
const OWN_SERVICE_BONUS_MS = 4 * MINUTE;
const NO_SHOW_RATE = 0.04;

export type HistoryOptions = {
  dbPath: string;
  days: number;
  /** Tickets on an average day; each weekday has its share (WEEKDAY_LOAD). */
  perDay: number;
  /** Last generated day (YYYY-MM-DD); default: yesterday in the hall's time zone. */
  end?: string;
  seed?: number;
  hall?: HallConfig;
};

export type HistoryResult = { from: string; to: string; tickets: number; events: number; ms: number };

/** mulberry32: small, fast and reproducible. */
function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type SimTicket = {
  id: string;
  number: string;
  serviceId: string;
  tier: 'regular' | 'vip' | 'elderly' | 'appointment';
  channel: 'kiosk' | 'reception' | 'mobile' | 'appointment';
  lang: 'zh' | 'en';
  issuedAt: number;
  /** Local hour of issue. */
  hour: number;
  giveUpAt: number;
  status: 'waiting' | 'done' | 'no-show' | 'cancelled';
  endReason: 'holder' | 'closing' | null;
  calledAt: number | null;
  servingAt: number | null;
  finishedAt: number | null;
  counterId: string | null;
  staffId: string | null;
  callRule: 'own-service' | 'longest-wait' | null;
  rating: number | null;
  /** The SERVQUAL dimensions a rater also scored (JSON), or null. */
  ratingDimensions: string | null;
};

export function generateHistory(options: HistoryOptions): HistoryResult {
  const started = performance.now();
  const hall = options.hall ?? DEMO_HALL;
  const tz = hall.timeZone;
  const random = rng(options.seed ?? 1);
  const normal = () => {
    // Box–Muller; 1 − u keeps the logarithm finite.
    const u = 1 - random();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * random());
  };
  const lognormal = (median: number, sigma: number) => median * Math.exp(sigma * normal());
  // Ratings draw from a stream of their own, so the queue itself is the same with or without them.
  const rateRandom = rng((options.seed ?? 1) + 7919);

  const services = hall.services.filter((s) => SERVICE_MIX[s.id]);
  const shareTotal = services.reduce((sum, s) => sum + SERVICE_MIX[s.id]!.share, 0);
  const pickService = () => {
    let x = random() * shareTotal;
    for (const s of services) {
      x -= SERVICE_MIX[s.id]!.share;
      if (x <= 0) return s;
    }
    return services[services.length - 1]!;
  };
  const hourTotal = HOURLY_ARRIVALS.reduce((a, b) => a + b, 0);
  const pickMinute = () => {
    let x = random() * hourTotal;
    let hour = 0;
    while (hour < HOURLY_ARRIVALS.length - 1 && x > HOURLY_ARRIVALS[hour]!) x -= HOURLY_ARRIVALS[hour++]!;
    return OPEN_MINUTE + hour * 60 + random() * 60;
  };
  const counters = hall.counters.map((c, i) => ({
    id: c.id,
    name: c.name,
    // Counter n is staffed by staff n when the hall has one; otherwise by nobody in particular.
    staffId: hall.staff.filter((s) => s.role === 'staff')[i]?.id ?? null,
    services: counterServiceWeights(c).map((s) => s.serviceId),
    speed: 0.9 + random() * 0.2,
    /** How this counter's customers tend to rate it: shifts the odds of a 5 by up to ±8 points. */
    warmth: rateRandom() * 0.16 - 0.08,
  }));

  const end = options.end ?? addDays(localTime(Date.now(), tz).day, -1);
  const from = addDays(end, -(options.days - 1));

  if (existsSync(options.dbPath))
    throw new Error(`${options.dbPath} exists: generate into a new file (numbers would collide)`);
  const db = openDatabase(options.dbPath);
  // Generation speed: nothing here needs to survive a power cut, and one big transaction written straight
  // into the file beats writing it to the WAL and copying it over. WAL comes back on at the end.
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma('cache_size = -200000');

  const insertTicket = db.prepare(
    `INSERT INTO tickets(id, day, hour, weekday, number, service_id, issued_service_id, tier, channel, lang, status,
       issued_at, queued_at, first_called_at, called_at, serving_at, finished_at, counter_id, staff_id, end_reason,
       print_state, call_rule, call_reason_zh, call_reason_en, rating, rating_dimensions)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const insertEvent = db.prepare(
    'INSERT INTO events(at, type, ticket_id, counter_id, staff_id, reason, payload) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  const insertNumber = db.prepare('INSERT INTO daily_numbers(day, prefix, last) VALUES (?, ?, ?)');

  let tickets = 0;
  let events = 0;
  let idCounter = 0;
  // Unique, 22 url-safe characters like the server's ids (random ones are not needed for a history).
  const idPrefix = `h${Math.floor(random() * 36 ** 6)
    .toString(36)
    .padStart(6, '0')}`;

  db.transaction(() => {
    const upsertService = db.prepare(
      `INSERT INTO services(id, prefix, name_zh, name_en, wait_target_minutes, enabled) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT(id) DO NOTHING`,
    );
    for (const s of hall.services)
      upsertService.run(s.id, s.prefix, s.name.zh, s.name.en, s.waitTargetMinutes, s.enabled ? 1 : 0);
    // The hall gives these accounts their demo (or real) passwords when it starts; this hash matches nothing.
    const user = db.prepare(
      `INSERT INTO users(id, username, name, role, password_hash, created_at) VALUES (?, ?, ?, ?, 'none$generated', ?)
       ON CONFLICT(id) DO NOTHING`,
    );
    for (const s of hall.staff) user.run(s.id, s.username, s.name, s.role, Date.now());

    for (let dayIndex = 0; dayIndex < options.days; dayIndex++) {
      const day = addDays(from, dayIndex);
      // Local hours as instants, so days and hours stay right in a zone with daylight saving too.
      const hourStart = Array.from({ length: 24 }, (_, h) => instantOf(day, h * 60, tz));
      const [y, m, d] = day.split('-').map(Number) as [number, number, number];
      const weekday = (new Date(Date.UTC(y, m - 1, d)).getUTCDay() + 6) % 7;
      const closing = instantOf(day, CLOSE_MINUTE, tz);

      // Arrivals, numbered per prefix in issue order.
      const arrivals: SimTicket[] = [];
      const count = Math.round(options.perDay * WEEKDAY_LOAD[weekday]!);
      for (let i = 0; i < count; i++) {
        const service = pickService();
        const minute = pickMinute();
        const hour = Math.floor(minute / 60);
        const issuedAt = hourStart[hour]! + Math.floor((minute - hour * 60) * MINUTE);
        const r = random();
        const channel = r < 0.8 ? 'kiosk' : r < 0.9 ? 'reception' : r < 0.97 ? 'mobile' : 'appointment';
        const tier =
          channel === 'appointment'
            ? 'appointment'
            : service.id === 'vip'
              ? 'vip'
              : random() < 0.08
                ? 'elderly'
                : 'regular';
        arrivals.push({
          id: '',
          number: '',
          serviceId: service.id,
          tier,
          channel,
          lang: random() < 0.05 ? 'en' : 'zh',
          issuedAt,
          hour,
          giveUpAt: issuedAt + Math.floor(lognormal(55, 0.5) * MINUTE),
          status: 'waiting',
          endReason: null,
          calledAt: null,
          servingAt: null,
          finishedAt: null,
          counterId: null,
          staffId: null,
          callRule: null,
          rating: null,
          ratingDimensions: null,
        });
      }
      arrivals.sort((a, b) => a.issuedAt - b.issuedAt);
      const lastNumber = new Map<string, number>();
      const prefixOf = new Map(hall.services.map((s) => [s.id, s.prefix]));
      for (const t of arrivals) {
        const prefix = prefixOf.get(t.serviceId)!;
        const n = (lastNumber.get(prefix) ?? 0) + 1;
        lastNumber.set(prefix, n);
        t.number = `${prefix}${String(n).padStart(3, '0')}`;
        t.id = `${idPrefix}${(idCounter++).toString(36).padStart(15, '0')}`;
      }

      // The day's queue: each counter, when free, takes the best head among its services.
      const queues = new Map<string, SimTicket[]>(hall.services.map((s) => [s.id, []]));
      const heads = new Map<string, number>(hall.services.map((s) => [s.id, 0]));
      let nextArrival = 0;
      const opening = instantOf(day, OPEN_MINUTE, tz);
      const freeAt = counters.map(() => opening + Math.floor(random() * 5 * MINUTE));
      for (;;) {
        let c = 0;
        for (let i = 1; i < counters.length; i++) if (freeAt[i]! < freeAt[c]!) c = i;
        const now = freeAt[c]!;
        if (now >= closing) break;
        while (nextArrival < arrivals.length && arrivals[nextArrival]!.issuedAt <= now) {
          const t = arrivals[nextArrival++]!;
          queues.get(t.serviceId)!.push(t);
        }
        const counter = counters[c]!;
        let best: SimTicket | null = null;
        let bestScore = Number.NEGATIVE_INFINITY;
        let bestOwn = false;
        for (let i = 0; i < counter.services.length; i++) {
          const serviceId = counter.services[i]!;
          const queue = queues.get(serviceId)!;
          let h = heads.get(serviceId)!;
          // Customers who gave up before this moment left the line.
          while (h < queue.length && queue[h]!.giveUpAt < now) {
            const gone = queue[h++]!;
            gone.status = 'cancelled';
            gone.endReason = 'holder';
            gone.finishedAt = gone.giveUpAt;
          }
          heads.set(serviceId, h);
          const head = queue[h];
          if (!head) continue;
          const score = now - head.issuedAt + (i === 0 ? OWN_SERVICE_BONUS_MS : 0);
          if (score > bestScore) {
            bestScore = score;
            best = head;
            bestOwn = i === 0;
          }
        }
        if (!best) {
          // Idle until the next customer arrives (or the day ends).
          freeAt[c] =
            nextArrival < arrivals.length ? Math.max(now + 1, arrivals[nextArrival]!.issuedAt) : closing;
          continue;
        }
        const t: SimTicket = best;
        heads.set(t.serviceId, heads.get(t.serviceId)! + 1);
        t.calledAt = now;
        t.counterId = counter.id;
        t.staffId = counter.staffId;
        t.callRule = bestOwn ? 'own-service' : 'longest-wait';
        if (random() < NO_SHOW_RATE) {
          t.status = 'no-show';
          t.finishedAt = now + Math.floor((1 + random() * 2) * MINUTE);
        } else {
          t.status = 'done';
          t.servingAt = now + Math.floor(lognormal(0.25, 0.4) * MINUTE);
          const minutes = lognormal(SERVICE_MIX[t.serviceId]!.medianMinutes, 0.5) * counter.speed;
          t.finishedAt = t.servingAt + Math.max(10_000, Math.floor(minutes * MINUTE));
          if (random() < 0.6) {
            const x = random() - counter.warmth;
            t.rating = x < 0.55 ? 5 : x < 0.85 ? 4 : x < 0.95 ? 3 : x < 0.98 ? 2 : 1;
            // Half the raters also score the five SERVQUAL dimensions, near their overall score.
            if (rateRandom() < 0.5) {
              const score = t.rating;
              const near = () => Math.min(5, Math.max(1, score + Math.round((rateRandom() - 0.5) * 1.6)));
              t.ratingDimensions = JSON.stringify(Object.fromEntries(SERVQUAL.map((d) => [d, near()])));
            }
          }
        }
        freeAt[c] = t.finishedAt + Math.floor(random() * 8_000);
      }
      // Closing: whoever still waits (or gave up first) ends the day.
      for (const t of arrivals) {
        if (t.status !== 'waiting') continue;
        t.status = 'cancelled';
        if (t.giveUpAt < closing) {
          t.endReason = 'holder';
          t.finishedAt = t.giveUpAt;
        } else {
          t.endReason = 'closing';
          t.finishedAt = closing;
        }
      }

      // Rows, then the day's events in time order (event ids increase with time, as in a live hall).
      const dayEvents: [number, string, string, string | null, string | null, string | null, string][] = [];
      for (const t of arrivals) {
        const reasonEn = t.callRule === 'own-service' ? 'own service first' : 'longest wait';
        const reasonZh = t.callRule === 'own-service' ? '本窗口业务优先' : '等候最久';
        insertTicket.run(
          t.id,
          day,
          t.hour,
          weekday,
          t.number,
          t.serviceId,
          t.serviceId,
          t.tier,
          t.channel,
          t.lang,
          t.status,
          t.issuedAt,
          t.issuedAt,
          t.calledAt,
          t.calledAt,
          t.servingAt,
          t.finishedAt,
          t.counterId,
          t.staffId,
          t.endReason,
          t.channel === 'kiosk' ? 'printed' : 'none',
          t.callRule,
          t.callRule ? reasonZh : null,
          t.callRule ? reasonEn : null,
          t.rating,
          t.ratingDimensions,
        );
        const pub = (counterId: string | null) =>
          `{"number":"${t.number}","serviceId":"${t.serviceId}","tier":"${t.tier}","counterId":${counterId ? `"${counterId}"` : 'null'}}`;
        dayEvents.push([t.issuedAt, 'ticket.issued', t.id, null, null, null, `{"ticket":${pub(null)}}`]);
        if (t.calledAt !== null) {
          const counter = counters.find((c) => c.id === t.counterId)!;
          const call = JSON.stringify({
            number: t.number,
            serviceId: t.serviceId,
            counterId: counter.id,
            counterName: counter.name,
            at: new Date(t.calledAt).toISOString(),
            recall: false,
          });
          dayEvents.push([
            t.calledAt,
            'ticket.called',
            t.id,
            t.counterId,
            t.staffId,
            reasonEn,
            `{"ticket":${pub(t.counterId)},"call":${call}}`,
          ]);
        }
        if (t.servingAt !== null)
          dayEvents.push([
            t.servingAt,
            'ticket.serving',
            t.id,
            t.counterId,
            t.staffId,
            null,
            `{"ticket":${pub(t.counterId)}}`,
          ]);
        if (t.status === 'done')
          dayEvents.push([
            t.finishedAt!,
            'ticket.finished',
            t.id,
            t.counterId,
            t.staffId,
            null,
            `{"ticket":${pub(t.counterId)},"rating":${t.rating ?? 'null'}}`,
          ]);
        else if (t.status === 'no-show')
          dayEvents.push([
            t.finishedAt!,
            'ticket.no-show',
            t.id,
            t.counterId,
            t.staffId,
            null,
            `{"ticket":${pub(t.counterId)}}`,
          ]);
        else if (t.status === 'cancelled')
          dayEvents.push([
            t.finishedAt!,
            'ticket.cancelled',
            t.id,
            null,
            null,
            t.endReason,
            `{"ticket":${pub(null)},"reason":"${t.endReason}"}`,
          ]);
      }
      dayEvents.sort((a, b) => a[0] - b[0]);
      for (const e of dayEvents) insertEvent.run(...e);
      for (const [prefix, last] of lastNumber) insertNumber.run(day, prefix, last);
      tickets += arrivals.length;
      events += dayEvents.length;
    }
  })();
  db.pragma('journal_mode = WAL');
  db.pragma('optimize');
  db.close();
  return { from, to: end, tickets, events, ms: Math.round(performance.now() - started) };
}

function main(): void {
  const { values } = parseArgs({
    options: {
      days: { type: 'string', default: '365' },
      'per-day': { type: 'string', default: '1500' },
      db: { type: 'string' },
      end: { type: 'string' },
      seed: { type: 'string', default: '1' },
    },
  });
  const days = Number(values.days);
  const perDay = Number(values['per-day']);
  if (!values.db || !Number.isInteger(days) || days < 1 || !Number.isInteger(perDay) || perDay < 1) {
    process.stderr.write(
      'usage: node --import tsx scripts/generate-history.ts --days 365 --per-day 1500 --db path.sqlite [--end YYYY-MM-DD] [--seed 1]\n',
    );
    process.exit(2);
  }
  if (values.end && !/^\d{4}-\d{2}-\d{2}$/.test(values.end)) {
    process.stderr.write('--end is a date as YYYY-MM-DD\n');
    process.exit(2);
  }
  const result = generateHistory({
    dbPath: resolve(values.db),
    days,
    perDay,
    end: values.end,
    seed: Number(values.seed),
  });
  process.stdout.write(
    `${result.tickets} tickets and ${result.events} events, ${result.from} … ${result.to}, in ${(result.ms / 1000).toFixed(1)} s → ${values.db}\n`,
  );
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
