import type { ErrorRequestHandler, Response } from 'express';
import type { z } from 'zod';
import type { Outcome } from '../app/command-path.ts';
import { PasswordsBusy } from '../app/passwords.ts';
import { storageFaultOf, unavailable } from '../app/storage.ts';
import type { ErrorBody } from '../contract/api.ts';
import type { EdgeErrorCode, ErrorCode, HqErrorCode } from '../contract/error-codes.ts';

/**
 * The one HTTP error: a status, a code and a message, sent as API v1's envelope (ErrorBody). The hall's
 * codes unless a server says otherwise (HQ: `new HttpError<HqErrorCode>(…)`).
 */
export class HttpError<Code extends ErrorCode | HqErrorCode = ErrorCode> extends Error {
  constructor(
    readonly status: number,
    readonly code: NoInfer<Code>,
    message: string,
    readonly fields?: { path: string; message: string }[],
    readonly headers: Record<string, string> = {},
    readonly details?: Record<string, string>,
  ) {
    super(message);
  }
}

export function sendError(
  res: Response,
  status: number,
  code: ErrorCode | HqErrorCode,
  message: string,
  fields?: ErrorBody['error']['fields'],
  details?: ErrorBody['error']['details'],
) {
  const body: ErrorBody<ErrorCode | HqErrorCode> = {
    error: { code, message, ...(fields ? { fields } : {}), ...(details ? { details } : {}) },
  };
  res.status(status).json(body);
}

/** Parses input with a zod schema or throws a 400 naming every offending field. */
export function parseInput<S extends z.ZodType>(
  schema: S,
  value: unknown,
  where: 'body' | 'query' | 'params' | 'header',
): z.infer<S> {
  const parsed = schema.safeParse(value ?? {});
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map((i) => ({
    path: [where, ...i.path.map(String)].join('.'),
    message: i.code === 'unrecognized_keys' ? `unknown field(s): ${i.keys.join(', ')}` : i.message,
  }));
  throw new HttpError(
    400,
    'invalid-request',
    `invalid ${where}: ${fields.map((f) => `${f.path}: ${f.message}`).join('; ')}`,
    fields,
  );
}

/** Unwraps an outcome, turning a refusal into its HTTP error (with `Retry-After` when it says when). */
export function unwrap<T>(outcome: Outcome<T>): T {
  if (outcome.ok) return outcome.value;
  const headers: Record<string, string> =
    outcome.retryAfterSeconds === undefined
      ? {}
      : { 'Retry-After': String(Math.max(1, Math.ceil(outcome.retryAfterSeconds))) };
  throw new HttpError(
    outcome.status,
    outcome.code,
    outcome.message,
    outcome.fields,
    headers,
    outcome.details,
  );
}

/** Body-parser and other library errors carry `status` and `type`; map them to the envelope. */
const LIBRARY_ERRORS: Record<string, [number, EdgeErrorCode, string]> = {
  'entity.too.large': [413, 'payload-too-large', 'request bodies are limited to 64 KB'],
  'entity.parse.failed': [400, 'invalid-request', 'the body is not valid JSON'],
  'encoding.unsupported': [415, 'unsupported-media-type', 'the body must be UTF-8 JSON'],
  'charset.unsupported': [415, 'unsupported-media-type', 'the body must be UTF-8 JSON'],
  'request.aborted': [400, 'invalid-request', 'the request was aborted'],
};

export function errorMiddleware(log: (line: Record<string, unknown>) => void): ErrorRequestHandler {
  return (error, req, res, _next) => {
    if (res.headersSent) {
      res.end();
      return;
    }
    if (error instanceof HttpError) {
      for (const [k, v] of Object.entries(error.headers)) res.setHeader(k, v);
      sendError(res, error.status, error.code, error.message, error.fields, error.details);
      return;
    }
    // A write outside the command path (a sign-in's session, say) on a failing disk: the same 503.
    const fault = storageFaultOf(error);
    if (fault) {
      log({ msg: 'write failed', level: 'error', method: req.method, path: req.path, error: String(error) });
      const refusal = unavailable(fault);
      res.setHeader('Retry-After', String(refusal.retryAfterSeconds));
      sendError(res, refusal.status, refusal.code, refusal.message);
      return;
    }
    if (error instanceof PasswordsBusy) {
      res.setHeader('Retry-After', String(error.retryAfterSeconds));
      sendError(res, 503, 'busy', 'too many sign-ins at once: try again in a moment');
      return;
    }
    const known = typeof error?.type === 'string' ? LIBRARY_ERRORS[error.type] : undefined;
    if (known) {
      sendError(res, known[0], known[1], known[2]);
      return;
    }
    // Any other client error a library raises (a 4xx status: a path that does not decode, say).
    const status = Number(error?.status ?? error?.statusCode);
    if (status >= 400 && status < 500) {
      sendError(res, status, 'invalid-request', 'the request could not be read');
      return;
    }
    log({
      msg: 'unhandled error',
      level: 'error',
      method: req.method,
      path: req.path,
      error: error instanceof Error ? error.stack : String(error),
    });
    sendError(res, 500, 'internal-error', 'the server could not complete this request');
  };
}
