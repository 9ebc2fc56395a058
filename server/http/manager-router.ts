import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import express, { Router } from 'express';
import { type AuditLog, auditCsv } from '../app/audit.ts';
import type { Auth } from '../app/auth.ts';
import type { Notices } from '../app/notices.ts';
import { noticesRequest } from '../contract/manager-schemas.ts';
import { dateRangeQuery } from '../contract/schemas.ts';
import { parseInput, unwrap } from './errors.ts';
import { actorOf, csrfGuard, requireRole } from './session.ts';

/**
 * Notices up to 10 × 200 KB of image: over the API's 64 KB body limit, so this router is mounted before
 * the shared JSON parser and parses its one large body itself (after the same CSRF check).
 */
const NOTICES_BODY_LIMIT = '2500kb';

/** The manager's configuration: notices for the wall, and the audit log of changes. */
export function managerRouter(deps: { notices: Notices; audit: AuditLog; auth: Auth }): Router {
  const router = Router();
  const manager = requireRole(deps.auth, 'manager');

  router.get('/notices', (_req, res) => {
    res.json(deps.notices.list());
  });

  router.put(
    '/notices',
    csrfGuard(),
    manager,
    express.json({ limit: NOTICES_BODY_LIMIT, strict: true, type: 'application/json' }),
    (req, res) => {
      const list = parseInput(noticesRequest, req.body ?? [], 'body');
      res.json(unwrap(deps.notices.replace(list, actorOf(res))));
    },
  );

  router.get('/audit', manager, (req, res) => {
    res.json(deps.audit.latest(parseInput(dateRangeQuery, req.query, 'query')));
  });

  // The whole range, never cut: streamed with backpressure, a page of rows in memory at a time.
  router.get('/audit.csv', manager, async (req, res) => {
    const range = parseInput(dateRangeQuery, req.query, 'query');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader('Content-Disposition', `attachment; filename="hallq-audit-${range.from}-${range.to}.csv"`);
    try {
      await pipeline(Readable.from(chunks(auditCsv(deps.audit.entries(range)))), res);
    } catch (error) {
      // The manager closed the tab or cancelled the download: nothing to answer.
      if ((error as { code?: string }).code !== 'ERR_STREAM_PREMATURE_CLOSE') throw error;
    }
  });

  return router;
}

/** Lines joined into chunks of about 64 KB: one write per row would cost more than the rows. */
function* chunks(lines: Iterable<string>, size = 64 * 1024): Generator<string> {
  let chunk = '';
  for (const line of lines) {
    chunk += line;
    if (chunk.length >= size) {
      yield chunk;
      chunk = '';
    }
  }
  if (chunk) yield chunk;
}
