import { Router } from 'express';
import type { Auth } from '../app/auth.ts';
import type { Stats } from '../app/stats.ts';
import { dateRangeQuery } from '../contract/schemas.ts';
import { parseInput } from './errors.ts';
import { requireRole } from './session.ts';

export function statsRouter(stats: Stats, auth: Auth): Router {
  const router = Router();
  const manager = requireRole(auth, 'manager');

  router.get('/stats/summary', manager, (req, res) => {
    res.json(stats.summary(parseInput(dateRangeQuery, req.query, 'query')));
  });

  router.get('/stats/tickets.csv', manager, (req, res) => {
    const range = parseInput(dateRangeQuery, req.query, 'query');
    res.setHeader('Content-Type', 'text/csv; charset=utf-8');
    res.setHeader(
      'Content-Disposition',
      `attachment; filename="hallq-tickets-${range.from}-${range.to}.csv"`,
    );
    // Chunks of rows rather than one string: a year of tickets is tens of megabytes.
    let chunk = '';
    for (const line of stats.csv(range)) {
      chunk += line;
      if (chunk.length > 64_000) {
        res.write(chunk);
        chunk = '';
      }
    }
    res.end(chunk);
  });

  return router;
}
