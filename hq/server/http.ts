/**
 * HQ's HTTP app (it never listens; main.ts and the tests do): `/hq/v1` — the halls' ingest and
 * catalogue pull (Bearer hall token), sign-in and the dashboards (session cookie) — and the `/hq/` pages.
 * Errors use the hall's envelope; bad input is a 4xx, never a 500.
 */
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  Router,
} from 'express';
import { LoginLimiter } from '../../server/app/auth.ts';
import { csvCell } from '../../server/app/csv.ts';
import type { HqErrorCode } from '../../server/contract/error-codes.ts';
import { HQ_API_BASE, HQ_BATCH_MAX_BYTES, type HqBatch } from '../../server/contract/hq.ts';
import { loginRequest } from '../../server/contract/schemas.ts';
import { requireJson, securityHeaders } from '../../server/http/app.ts';
import { signIn } from '../../server/http/auth-router.ts';
import { errorMiddleware, HttpError, parseInput } from '../../server/http/errors.ts';
import { clearSessionCookie, csrfGuard, readCookie, setSessionCookie } from '../../server/http/session.ts';
import type { HqBreakdownRow, HqUser } from '../contract.ts';
import { isoWithOffset } from '../domain/fold.ts';
import { breakdownQuery, catalogueQuery, configQuery, publishRequest, rangeQuery } from '../schemas.ts';
import type { Accounts } from './accounts.ts';
import type { Catalogues } from './catalogue.ts';
import type { Dashboards, Subject } from './dashboards.ts';
import { ALL, type HqDb, type Scope } from './db.ts';
import type { Ingest, IngestHall } from './ingest.ts';

export const HQ_SESSION_COOKIE = 'hallq_hq_session';

export type HqAppDeps = {
  db: HqDb;
  ingest: Ingest;
  dashboards: Dashboards;
  accounts: Accounts;
  catalogues: Catalogues;
  now: () => number;
  distDir: string;
  log: (line: Record<string, unknown>) => void;
  /** Batches being stored at once before more are shed with 429 (the pool and PostgreSQL stay responsive). */
  maxIngestsInFlight?: number;
  demo?: boolean;
  /** Demo mode only: the sign-ins the sign-in page shows. */
  demoSignIns?: { username: string; password: string; role: HqUser['role']; region: string | null }[];
};

/** A batch: hand-checked (thousands of events per request), every problem named like the hall's 400s. */
export function parseBatch(body: unknown): HqBatch {
  const problems: { path: string; message: string }[] = [];
  const problem = (path: string, message: string) => {
    if (problems.length < 20) problems.push({ path: `body.${path}`, message });
  };
  const b = (body ?? {}) as Record<string, unknown>;
  if (typeof body !== 'object' || body === null || Array.isArray(body)) problem('', 'a batch object');
  else {
    for (const key of Object.keys(b))
      if (!['appVersion', 'schemaVersion', 'sentAt', 'events'].includes(key)) problem(key, 'unknown field');
    if (typeof b.appVersion !== 'string' || b.appVersion.length < 1 || b.appVersion.length > 64)
      problem('appVersion', 'a version string of 1 to 64 characters');
    if (!Number.isInteger(b.schemaVersion) || (b.schemaVersion as number) < 1)
      problem('schemaVersion', 'a positive integer');
    if (!isoWithOffset(b.sentAt))
      problem('sentAt', 'ISO 8601 with an offset, e.g. 2026-11-25T10:00:00+08:00');
    if (!Array.isArray(b.events)) problem('events', 'an array (empty for a heartbeat)');
    else {
      let previous = 0;
      b.events.forEach((e: unknown, i: number) => {
        const ev = (e ?? {}) as Record<string, unknown>;
        if (typeof e !== 'object' || e === null || Array.isArray(e)) {
          problem(`events.${i}`, 'an event object');
          return;
        }
        for (const key of Object.keys(ev))
          if (!['seq', 'at', 'type', 'data'].includes(key)) problem(`events.${i}.${key}`, 'unknown field');
        if (!Number.isSafeInteger(ev.seq) || (ev.seq as number) < 1)
          problem(`events.${i}.seq`, 'a positive integer');
        else if ((ev.seq as number) <= previous)
          problem(`events.${i}.seq`, 'sequence numbers increase, oldest first');
        else previous = ev.seq as number;
        if (!isoWithOffset(ev.at)) problem(`events.${i}.at`, 'ISO 8601 with an offset');
        if (typeof ev.type !== 'string' || !/^[a-z][a-z0-9.-]{0,63}$/.test(ev.type))
          problem(`events.${i}.type`, 'an event type such as ticket.issued');
        if (typeof ev.data !== 'object' || ev.data === null || Array.isArray(ev.data))
          problem(`events.${i}.data`, 'an object');
      });
    }
  }
  if (problems.length > 0)
    throw new HttpError<HqErrorCode>(
      400,
      'invalid-request',
      `invalid batch: ${problems.map((p) => `${p.path}: ${p.message}`).join('; ')}`,
      problems,
    );
  return body as HqBatch;
}

/** PostgreSQL away or refusing connections: the caller is told to come back, never given a 500. */
function unavailable(error: unknown): boolean {
  const e = error as { code?: string; message?: string };
  return (
    (typeof e?.code === 'string' && /^(ECONN|ENOTFOUND|ETIMEDOUT|EPIPE|08|53|57)/.test(e.code)) ||
    /timeout exceeded when trying to connect|Connection terminated|connection.*(closed|ended)/i.test(
      e?.message ?? '',
    )
  );
}

const hashToken = (token: string) => createHash('sha256').update(token).digest('hex');

export function createHqApp(deps: HqAppDeps) {
  const { db, dashboards, accounts } = deps;
  const limiter = new LoginLimiter({ now: deps.now });
  const maxInFlight = deps.maxIngestsInFlight ?? 12;
  let ingestsInFlight = 0;

  /** Tokens resolved lately (a token names its hall for good). */
  const halls = new Map<string, { hall: IngestHall; until: number }>();
  const hallOf: RequestHandler = async (req, res, next) => {
    const header = req.headers.authorization ?? '';
    const token = /^Bearer ([\x21-\x7e]{16,200})$/.exec(header)?.[1];
    if (!token)
      throw new HttpError<HqErrorCode>(
        401,
        'unauthenticated',
        'send the hall token: Authorization: Bearer …',
      );
    const hash = hashToken(token);
    let known = halls.get(hash);
    if (!known || known.until < Date.now()) {
      const [row] = await db.read<{ hall_key: number; id: string; region: string }>(
        ALL,
        'SELECT hall_key, id, region FROM hq_halls WHERE token_hash = $1',
        [hash],
      );
      if (!row) throw new HttpError<HqErrorCode>(401, 'bad-token', 'this hall token is not known here');
      known = { hall: { hallKey: row.hall_key, id: row.id, region: row.region }, until: Date.now() + 60_000 };
      halls.set(hash, known);
    }
    res.locals.hall = known.hall;
    next();
  };

  /** Past the limit, a batch is refused before its body is read: the hall retries after a while. */
  const shed: RequestHandler = (_req, res, next) => {
    if (ingestsInFlight >= maxInFlight) {
      const seconds = String(2 + Math.floor(Math.random() * 5));
      throw new HttpError<HqErrorCode>(
        429,
        'busy',
        `HQ is busy: send this batch again in ${seconds} s`,
        undefined,
        {
          'Retry-After': seconds,
        },
      );
    }
    ingestsInFlight++;
    res.once('close', () => ingestsInFlight--);
    next();
  };

  const batchJson = express.json({
    limit: HQ_BATCH_MAX_BYTES,
    strict: true,
    type: 'application/json',
    verify: (_req, res, buf) => {
      (res as unknown as Response).locals.rawBody = buf.toString('utf8');
    },
  });

  async function userOf(req: Request, res: Response): Promise<HqUser | null> {
    if (res.locals.user !== undefined) return res.locals.user as HqUser | null;
    const token = readCookie(req, HQ_SESSION_COOKIE);
    const user = token ? await accounts.sessionUser(token) : null;
    res.locals.user = user;
    return user;
  }

  const signedIn =
    (...roles: HqUser['role'][]): RequestHandler =>
    async (req, res, next) => {
      const user = await userOf(req, res);
      if (!user) throw new HttpError<HqErrorCode>(401, 'unauthenticated', 'sign in first');
      if (roles.length > 0 && !roles.includes(user.role))
        throw new HttpError<HqErrorCode>(403, 'forbidden', `this needs the ${roles.join(' or ')} role`);
      next();
    };

  const scopeOf = (res: Response): Scope => {
    const user = res.locals.user as HqUser;
    return user.role === 'hq' ? ALL : { region: user.region! };
  };

  /** The hall or region a question names, if the asker may ask about it: else 404 or 403. */
  async function subjectOf(res: Response, q: { hallId?: string; region?: string }): Promise<Subject> {
    if (q.hallId === undefined && q.region === undefined) return null;
    const user = res.locals.user as HqUser;
    const found = await dashboards.locate(q);
    const what = q.hallId !== undefined ? `hall ${q.hallId}` : `region ${q.region}`;
    if (!found)
      throw new HttpError<HqErrorCode>(
        404,
        q.hallId !== undefined ? 'hall-not-found' : 'region-not-found',
        `no ${what}`,
      );
    const region = found.kind === 'hall' ? found.region : q.region!;
    if (user.role === 'region' && region !== user.region)
      throw new HttpError<HqErrorCode>(403, 'other-region', `${what} is not in your region`);
    return found.kind === 'hall' ? { hallKey: found.hallKey, hallId: q.hallId! } : { region };
  }

  const api = Router();
  api.use((req, res, next) => {
    const started = performance.now();
    res.on('finish', () =>
      deps.log({
        msg: 'request',
        method: req.method,
        path: req.path,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      }),
    );
    next();
  });

  // The token first, before anything of the body is read.
  api.post('/ingest', hallOf, requireJson, shed, batchJson, async (req, res) => {
    const batch = parseBatch(req.body);
    const ackedThrough = await deps.ingest.ingest(
      res.locals.hall as IngestHall,
      batch,
      res.locals.rawBody as string,
    );
    res.json({ ackedThrough });
  });

  api.get('/config', hallOf, async (req, res) => {
    const { running } = parseInput(configQuery, req.query, 'query');
    const catalogue = await deps.catalogues.pull((res.locals.hall as IngestHall).hallKey, running ?? null);
    if (!catalogue) res.status(204).end();
    else res.json(catalogue);
  });

  api.use(requireJson);
  api.use(express.json({ limit: '64kb', strict: true, type: 'application/json' }));
  api.use(csrfGuard(HQ_SESSION_COOKIE));

  api.get('/demo/sign-ins', (_req, res) => {
    if (!deps.demoSignIns) throw new HttpError<HqErrorCode>(404, 'not-found', 'this exists only in the demo');
    res.json(deps.demoSignIns);
  });

  api.post('/auth/login', async (req, res) => {
    const { username, password } = parseInput(loginRequest, req.body, 'body');
    const address = req.ip ?? 'unknown';
    const result = await signIn(limiter, deps.log, { username, address }, () =>
      accounts.login(username, password),
    );
    setSessionCookie(res, result.token, req.secure, HQ_SESSION_COOKIE);
    res.json({ user: result.user });
  });

  api.post('/auth/logout', signedIn(), async (req, res) => {
    const token = readCookie(req, HQ_SESSION_COOKIE);
    if (token) await accounts.logout(token);
    clearSessionCookie(res, HQ_SESSION_COOKIE);
    res.status(204).end();
  });

  api.get('/auth/me', signedIn(), (_req, res) => {
    res.json({ user: res.locals.user, demo: deps.demo === true });
  });

  api.get('/regions', signedIn(), async (_req, res) => {
    res.json(await dashboards.regions(scopeOf(res)));
  });

  api.get('/halls', signedIn(), async (_req, res) => {
    res.json(await dashboards.halls(scopeOf(res)));
  });

  api.get('/stats/summary', signedIn(), async (req, res) => {
    const q = parseInput(rangeQuery, req.query, 'query');
    res.json(await dashboards.summary(scopeOf(res), q, await subjectOf(res, q)));
  });

  api.get('/stats/series', signedIn(), async (req, res) => {
    const q = parseInput(rangeQuery, req.query, 'query');
    res.json(await dashboards.series(scopeOf(res), q, await subjectOf(res, q)));
  });

  api.get('/stats/breakdown', signedIn(), async (req, res) => {
    const q = parseInput(breakdownQuery, req.query, 'query');
    res.json(await dashboards.breakdown(scopeOf(res), q, q.by, await subjectOf(res, q)));
  });

  api.get('/stats/breakdown.csv', signedIn(), async (req, res) => {
    const q = parseInput(breakdownQuery, req.query, 'query');
    const rows = await dashboards.breakdown(scopeOf(res), q, q.by, await subjectOf(res, q));
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="hallq-hq-${q.by}-${q.from}-${q.to}.csv"`);
    res.send(breakdownCsv(rows));
  });

  api.get('/catalogue', signedIn(), async (req, res) => {
    const { region } = parseInput(catalogueQuery, req.query, 'query');
    await subjectOf(res, { region });
    res.json(await deps.catalogues.versions(scopeOf(res), region));
  });

  api.post('/catalogue', signedIn(), async (req, res) => {
    const body = parseInput(publishRequest, req.body, 'body');
    await subjectOf(res, { region: body.region });
    const user = res.locals.user as HqUser;
    res
      .status(201)
      .json(await deps.catalogues.publish(scopeOf(res), body.region, body.services, user.username));
  });

  api.get('/quarantine', signedIn('hq'), async (_req, res) => {
    res.json(await dashboards.quarantine());
  });

  api.use((req) => {
    throw new HttpError<HqErrorCode>(404, 'not-found', `no HQ route ${req.method} ${req.path}`);
  });

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(securityHeaders);
  app.use(HQ_API_BASE, api);
  app.get('/', (_req, res) => res.redirect(302, '/hq/'));
  app.get('/hq/', (_req, res) => {
    const page = join(deps.distDir, 'hq', 'pages', 'index.html');
    if (!existsSync(page)) {
      res
        .status(503)
        .type('text/plain')
        .send('页面尚未构建 / The pages are not built yet: run `npm run build`.');
      return;
    }
    res.setHeader('Cache-Control', 'no-cache');
    res.sendFile(page);
  });
  // After the page: routing is not strict, so `/hq/` would match this one too.
  app.get('/hq', (_req, res) => res.redirect(301, '/hq/'));
  app.use(
    '/assets',
    express.static(join(deps.distDir, 'assets'), { immutable: true, maxAge: '1y', index: false }),
  );
  app.use((error: unknown, req: Request, _res: Response, next: NextFunction) => {
    const e = error as { type?: string };
    if (e?.type === 'entity.too.large')
      return next(
        new HttpError<HqErrorCode>(
          413,
          'payload-too-large',
          `a batch is at most ${HQ_BATCH_MAX_BYTES} bytes (1 MiB)`,
        ),
      );
    if (!(error instanceof HttpError) && unavailable(error)) {
      deps.log({ msg: 'storage unavailable', path: req.path, error: String(error) });
      return next(
        new HttpError<HqErrorCode>(
          503,
          'storage-unavailable',
          'HQ cannot reach its database: try again shortly',
          undefined,
          {
            'Retry-After': '10',
          },
        ),
      );
    }
    next(error);
  });
  app.use(errorMiddleware(deps.log));
  return app;
}

/** The breakdown as a spreadsheet reads it: UTF-8 with a BOM, RFC 4180, an English header. */
export function breakdownCsv(rows: readonly HqBreakdownRow[]): string {
  const header = [
    'key',
    'name',
    'region',
    'tickets',
    'served',
    'noShows',
    'waitAvgMinutes',
    'waitP50Minutes',
    'waitP90Minutes',
    'withinTargetPct',
    'ratingAvg',
  ];
  const cell = (v: string | number | null | undefined) =>
    csvCell(v === null || v === undefined ? '' : String(v));
  const lines = rows.map((r) =>
    [
      r.key,
      r.name,
      r.region,
      r.tickets,
      r.served,
      r.noShows,
      r.waitMinutes.avg,
      r.waitMinutes.p50,
      r.waitMinutes.p90,
      r.withinTargetPct,
      r.ratingAvg,
    ]
      .map(cell)
      .join(','),
  );
  return `\uFEFF${[header.join(','), ...lines].join('\r\n')}\r\n`;
}
