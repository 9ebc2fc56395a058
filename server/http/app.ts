import express, { type RequestHandler } from 'express';
import type { Auth, LoginLimiter } from '../app/auth.ts';
import type { Configuration } from '../app/configuration.ts';
import type { DeviceConsole } from '../app/devices.ts';
import type { EventBus } from '../app/event-bus.ts';
import type { Hall } from '../app/hall.ts';
import type { Health } from '../app/health.ts';
import type { KioskServices } from '../app/kiosk-services.ts';
import type { Pairing } from '../app/pairing.ts';
import type { Stats } from '../app/stats.ts';
import type { TurnAlerts } from '../app/turn-alerts.ts';
import { API_BASE } from '../contract/api.ts';
import { authRouter } from './auth-router.ts';
import { configRouter } from './config-router.ts';
import { type AccountOf, counterRouter } from './counter-router.ts';
import { devicesRouter } from './devices-router.ts';
import { errorMiddleware, HttpError } from './errors.ts';
import { kioskRouter } from './kiosk-router.ts';
import { managerRouter } from './manager-router.ts';
import { openApiDocument } from './openapi.ts';
import { pagesRouter } from './pages.ts';
import { pairingRouter } from './pairing-router.ts';
import { queueRouter } from './queue-router.ts';
import { csrfGuard } from './session.ts';
import { createEventStream } from './sse.ts';
import { statsRouter } from './stats-router.ts';
import { turnAlertRouter } from './turn-alert-router.ts';

export type AppDeps = {
  hall: Hall;
  /** The kiosk's endpoints (server/contract/kiosk.ts); absent, they are not served. */
  kiosk?: KioskServices;
  /** The devices page; absent, it is not served. */
  devices?: DeviceConsole;
  /** Notices and the audit log (manager-router.ts); absent, they are not served. */
  manager?: Omit<Parameters<typeof managerRouter>[0], 'auth'>;
  /** The configuration the manager edits (config-router.ts); absent, it is not served. */
  configuration?: Configuration;
  /** Pairing of kiosks and displays (pairing-router.ts); absent, it is not served. */
  pairing?: Pairing;
  /** The phone page's "your turn is near" texts (turn-alert-router.ts); absent, they are not served. */
  turnAlerts?: TurnAlerts;
  auth: Auth;
  limiter: LoginLimiter;
  stats: Stats;
  bus: EventBus;
  demo: boolean;
  /** Reverse proxies whose X-Forwarded-For and -Proto are believed (HALLQ_TRUST_PROXY). */
  trustProxy?: string[];
  distDir: string;
  /** The counter's account summary of an identified customer; absent, counters show masked data only. */
  accountOf?: AccountOf;
  voiceDir: string;
  health: Health;
  /** Caps on open event streams (sse.ts). */
  streams: { max: number; perAddress: number };
  log: (line: Record<string, unknown>) => void;
};

export const securityHeaders: RequestHandler = (_req, res, next) => {
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Referrer-Policy', 'same-origin');
  res.setHeader(
    'Content-Security-Policy',
    "default-src 'self'; img-src 'self' data: blob:; media-src 'self' blob:; style-src 'self' 'unsafe-inline'; frame-ancestors 'none'; base-uri 'self'; form-action 'self'",
  );
  next();
};

/** Bodies are JSON: anything else is a 415 before a parser sees it. */
export const requireJson: RequestHandler = (req, _res, next) => {
  const hasBody =
    Number(req.headers['content-length'] ?? 0) > 0 || req.headers['transfer-encoding'] !== undefined;
  if (hasBody && !req.is('application/json'))
    throw new HttpError(415, 'unsupported-media-type', 'send the body as application/json');
  next();
};

function requestLog(log: AppDeps['log']): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.on('finish', () => {
      // The path only: ticket ids in /tickets/:id are secrets, so they are cut from the log.
      const path = req.originalUrl.split('?')[0]!.replace(/\/(tickets|t)\/[A-Za-z0-9_-]{16,}/, '/$1/:id');
      log({
        msg: 'request',
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round((performance.now() - started) * 10) / 10,
      });
    });
    next();
  };
}

/** Builds the hall's HTTP app; it never listens (main.ts and the tests do). */
export function createApp(deps: AppDeps) {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Behind a trusted proxy, req.ip is the client's and req.secure follows X-Forwarded-Proto (so the
  // session cookie is Secure); nobody else's forwarded headers are believed.
  if (deps.trustProxy?.length) app.set('trust proxy', deps.trustProxy);
  app.use(securityHeaders);
  const events = createEventStream(deps.hall, deps.bus, deps.streams);

  const api = express.Router();
  api.use(requestLog(deps.log));
  api.use(requireJson);
  // Before the shared 64 KB parser: notices with images parse their own larger body (manager-router.ts).
  if (deps.manager) api.use(managerRouter({ ...deps.manager, auth: deps.auth }));
  api.use(express.json({ limit: '64kb', strict: true, type: 'application/json' }));
  api.use(csrfGuard());
  api.get('/events', (req, res) => events.handle(req, res));
  api.get('/openapi.json', (_req, res) => res.json(openApiDocument()));
  api.use(authRouter(deps.auth, deps.limiter, deps.log));
  api.use(queueRouter(deps));
  api.use(counterRouter(deps.hall, deps.auth, deps.accountOf));
  api.use(statsRouter(deps.stats, deps.auth));
  if (deps.configuration) api.use(configRouter({ configuration: deps.configuration, auth: deps.auth }));
  if (deps.kiosk) api.use(kioskRouter({ kiosk: deps.kiosk, auth: deps.auth, demo: deps.demo }));
  if (deps.pairing) api.use(pairingRouter({ pairing: deps.pairing, auth: deps.auth }));
  if (deps.turnAlerts) api.use(turnAlertRouter(deps.turnAlerts));
  if (deps.devices) api.use(devicesRouter(deps.devices, deps.auth, deps.demo));
  api.use((req) => {
    throw new HttpError(404, 'not-found', `no API route ${req.method} ${req.path}`);
  });
  app.use(API_BASE, api);
  app.use('/api', (req) => {
    throw new HttpError(
      404,
      'not-found',
      `no API route ${req.method} ${req.originalUrl.split('?')[0]}; this server speaks ${API_BASE}`,
    );
  });
  app.use(pagesRouter(deps.distDir, deps.voiceDir));
  app.use(errorMiddleware(deps.log));
  return { app, events };
}
