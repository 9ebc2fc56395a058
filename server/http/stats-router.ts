import { Router } from 'express';
import type { Auth } from '../app/auth.ts';
import type { Stats } from '../app/stats.ts';
import { periodQuery } from '../contract/manager-schemas.ts';
import { dateRangeQuery, routingWhyQuery } from '../contract/schemas.ts';
import { HttpError, parseInput } from './errors.ts';
import { requireRole } from './session.ts';

export function statsRouter(stats: Stats, auth: Auth): Router {
  const router = Router();
  const manager = requireRole(auth, 'manager');

  router.get('/stats/summary', manager, (req, res) => {
    res.json(stats.summary(parseInput(dateRangeQuery, req.query, 'query')));
  });

  router.get('/stats/series', manager, (req, res) => {
    const { by, ...range } = req.query as Record<string, unknown>;
    const period = parseInput(periodQuery, by === undefined ? {} : { by }, 'query');
    res.json(stats.series(parseInput(dateRangeQuery, range, 'query'), period.by));
  });

  router.get('/stats/breakdown', manager, (req, res) => {
    res.json(stats.breakdown(parseInput(dateRangeQuery, req.query, 'query')));
  });

  /** Counters needed per weekday and opening hour (Erlang C) from the range's history. */
  router.get('/stats/staffing', manager, (req, res) => {
    res.json(stats.staffing(parseInput(dateRangeQuery, req.query, 'query')));
  });

  /** Why ticket `number` was called when it was, and (with `before`) what became of the other one. */
  router.get('/routing/why', manager, (req, res) => {
    const query = parseInput(routingWhyQuery, req.query, 'query');
    const answer = stats.routingWhy(query);
    if (!answer)
      throw new HttpError(
        404,
        'ticket-not-found',
        `no ticket ${stats.routingWhy({ day: query.day, number: query.number }) ? query.before : query.number} on ${query.day}`,
      );
    res.json(answer);
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
