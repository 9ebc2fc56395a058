/** The zod schemas of the manager's requests (manager.ts). Only the server loads this file. */
import { z } from 'zod';
import { MAX_NOTICE_IMAGE, MAX_NOTICE_TEXT, MAX_NOTICES, PERIODS } from './manager.ts';

/** A path on this server (not `//host`, which a browser reads as another site), or a raster data: URL. */
const imageUrl = z.union([
  z
    .string()
    .max(2048)
    .regex(/^\/(?![/\\])[^\s\\"'<>]*$/, 'a path on this server, such as /notices/a.png'),
  z
    .string()
    .max(MAX_NOTICE_IMAGE, `a data: URL under ${MAX_NOTICE_IMAGE / 1024} KB`)
    .regex(
      /^data:image\/(png|jpeg|gif|webp);base64,[A-Za-z0-9+/]+={0,2}$/,
      'a base64 PNG, JPEG, GIF or WebP',
    ),
]);

export const noticeInput = z.strictObject({
  id: z
    .string()
    .regex(/^[A-Za-z0-9_-]{1,64}$/)
    .optional(),
  text: z.strictObject({
    zh: z.string().trim().min(1).max(MAX_NOTICE_TEXT),
    en: z.string().trim().max(MAX_NOTICE_TEXT),
  }),
  imageUrl: imageUrl.optional(),
});

export const noticesRequest = z
  .array(noticeInput)
  .max(MAX_NOTICES)
  .refine(
    (list) => new Set(list.flatMap((n) => (n.id ? [n.id] : []))).size === list.filter((n) => n.id).length,
    {
      message: 'notice ids must be unique',
    },
  );

/** `by` of `GET /stats/series`; `from` and `to` are the usual date range (dateRangeQuery). */
export const periodQuery = z.strictObject({ by: z.enum(PERIODS).default('day') });
