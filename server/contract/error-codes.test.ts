/**
 * The lists of error codes hold no code that is never answered. (That every code answered is listed,
 * the compiler sees: the refusals and HttpError take only listed codes.) Read from the sources: each
 * code passed to refusal(), refuse(), HttpError or sendError, or set as a refusal's `code:`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { COUNTER_STATUSES } from './api.ts';
import { EDGE_ERROR_CODES, ERROR_CODES, HQ_ERROR_CODES } from './error-codes.ts';

const ROOT = join(import.meta.dirname, '..', '..');

/** The non-test TypeScript files under `dir`, minus those whose repository path `skip` names. */
function sources(dir: string, skip: (path: string) => boolean = () => false): string[] {
  return readdirSync(join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .map((file) => join(ROOT, dir, file))
    .filter((file) => /\.tsx?$/.test(file) && !/\.test\.tsx?$/.test(file))
    .filter((file) => !skip(relative(ROOT, file).replaceAll('\\', '/')))
    .map((file) => readFileSync(file, 'utf8'));
}

/** The codes a source answers with, `counter-${…status}` read as every counter status. */
function codesAnswered(source: string): Set<string> {
  const found = new Set<string>();
  const argument = /\b(?:refusal|refuse|HttpError(?:<\w+>)?|sendError)\(\s*(?:res,\s*)?[^,()]+,\s*([^,]+),/g;
  const codeArguments = [...source.matchAll(argument)].map((m) => m[1]!);
  const fields = [...source.matchAll(/\bcode: ('[a-z-]+')/g)].map((m) => m[1]!);
  const tuples = [...source.matchAll(/\[\d{3}, ('[a-z-]+')/g)].map((m) => m[1]!);
  for (const text of [...codeArguments, ...fields, ...tuples]) {
    for (const [, code] of text.matchAll(/'([a-z]+(?:-[a-z]+)*)'/g)) found.add(code!);
    if (/`counter-\$\{/.test(text)) for (const status of COUNTER_STATUSES) found.add(`counter-${status}`);
  }
  return found;
}

function answeredIn(files: string[]): Set<string> {
  return new Set(files.flatMap((source) => [...codesAnswered(source)]));
}

describe('the error codes', () => {
  it('of the hall are each answered by the hall server', () => {
    // The contract and the route table only name codes; the OpenAPI document lists what they name.
    const documentation = (path: string) =>
      path.startsWith('server/contract/') ||
      path === 'server/http/api-routes.ts' ||
      path === 'server/http/openapi.ts';
    const answered = answeredIn(sources('server', documentation));
    expect(ERROR_CODES.filter((code) => !answered.has(code))).toEqual([]);
  });

  it("of HQ's own are each answered by HQ", () => {
    const answered = answeredIn(sources('hq/server'));
    const own = HQ_ERROR_CODES.filter((code) => !(EDGE_ERROR_CODES as readonly string[]).includes(code));
    expect(own.length).toBeGreaterThan(0);
    expect(own.filter((code) => !answered.has(code))).toEqual([]);
  });

  it('are read from the sources: a code that is never answered is found', () => {
    const source = `
      if (!row) return refusal(404, 'ticket-not-found', 'no such ticket');
      throw new HttpError<HqErrorCode>(404, q.hallId ? 'hall-not-found' : 'region-not-found', 'no');
      if (!status) refuse(409, \`counter-\${row.status}\`, message);`;
    const answered = codesAnswered(source);
    expect([...answered].sort()).toEqual([
      'counter-closed',
      'counter-open',
      'counter-paused',
      'counter-serving',
      'hall-not-found',
      'region-not-found',
      'ticket-not-found',
    ]);
    expect(answered.has('slot-full')).toBe(false);
  });
});
