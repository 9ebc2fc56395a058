/**
 * The zod schemas of hq/v1 requests. Only the HQ server loads this file; the pages import contract.ts.
 */
import { z } from 'zod';
import { hallId, isoDate, username } from '../server/contract/schemas.ts';
import { BREAKDOWN_BY, HQ_ROLES } from './contract.ts';

/** Hall and region ids: `[a-z0-9-]{1,40}`. */
export const hqId = z.string().regex(/^[a-z0-9-]{1,40}$/, 'lowercase letters, digits and -, at most 40');

/** The longest range a query takes: ten years of days, so a typo cannot ask for millions. */
const MAX_RANGE_DAYS = 3660;

const rangeChecks = <T extends { from: string; to: string; hallId?: string; region?: string }>(
  q: T,
  ctx: z.RefinementCtx,
) => {
  if (q.from > q.to)
    ctx.addIssue({ code: 'custom', path: ['from'], message: '`from` must not be after `to`' });
  else if ((Date.parse(q.to) - Date.parse(q.from)) / 86_400_000 + 1 > MAX_RANGE_DAYS)
    ctx.addIssue({ code: 'custom', path: ['from'], message: `at most ${MAX_RANGE_DAYS} days before \`to\`` });
  if (q.hallId !== undefined && q.region !== undefined)
    ctx.addIssue({ code: 'custom', path: ['hallId'], message: 'give `hallId` or `region`, not both' });
};

export const rangeQuery = z
  .strictObject({ from: isoDate, to: isoDate, hallId: hqId.optional(), region: hqId.optional() })
  .superRefine(rangeChecks);

export const breakdownQuery = z
  .strictObject({
    from: isoDate,
    to: isoDate,
    by: z.enum(BREAKDOWN_BY),
    hallId: hqId.optional(),
    region: hqId.optional(),
  })
  .superRefine(rangeChecks);

export const catalogueQuery = z.strictObject({ region: hqId });

const text = z.strictObject({ zh: z.string().trim().min(1).max(40), en: z.string().trim().min(1).max(60) });

export const publishRequest = z
  .strictObject({
    region: hqId,
    services: z
      .array(
        z.strictObject({
          id: hallId,
          prefix: z.string().regex(/^[A-Z]$/, 'one capital letter'),
          name: text,
          category: z.string().trim().min(1).max(32).default('business'),
          waitTargetMinutes: z.number().int().min(1).max(240),
          selfService: z.boolean().default(false),
        }),
      )
      .min(1)
      .max(50),
  })
  .superRefine((b, ctx) => {
    for (const key of ['id', 'prefix'] as const) {
      const seen = new Set<string>();
      b.services.forEach((s, i) => {
        if (seen.has(s[key]))
          ctx.addIssue({ code: 'custom', path: ['services', i, key], message: `duplicate ${key}` });
        seen.add(s[key]);
      });
    }
  });

export const configQuery = z.strictObject({ running: z.coerce.number().int().min(1).optional() });

/** `npm run hq -- user add …` */
export const userArgs = z
  .strictObject({
    username,
    role: z.enum(HQ_ROLES),
    region: hqId.optional(),
    name: z.string().trim().min(1).max(64).optional(),
  })
  .refine((u) => (u.role === 'region') === (u.region !== undefined), {
    message: 'a region manager needs --region; an hq account has none',
    path: ['region'],
  });

/** `npm run hq -- hall add …` */
export const hallArgs = z.strictObject({
  id: hqId,
  name: z.string().trim().min(1).max(64),
  region: hqId,
});
