import { fstatSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { tempDir } from '../../tests/helpers/temp-dir.ts';
import { createOperatorLog, type LogLine, rotatingFileLog, stdoutLog } from './operator-log.ts';

function recorded(options: Parameters<typeof createOperatorLog>[1] = {}) {
  const lines: LogLine[] = [];
  const log = createOperatorLog((line) => lines.push(line), {
    memory: () => ({ rssMb: 100, heapMb: 40 }),
    ...options,
  });
  return { log, lines };
}

describe('the operator log', () => {
  it('counts requests and commands instead of writing them, and sums them up per interval', () => {
    const { log, lines } = recorded();
    for (let i = 0; i < 1000; i++)
      log({ msg: 'request', method: 'GET', path: '/api/v1/hall', status: 200, ms: 3 });
    for (let i = 0; i < 10; i++)
      log({ msg: 'request', method: 'POST', path: '/api/v1/tickets', status: 404, ms: 1 });
    for (let i = 0; i < 300; i++) log({ msg: 'command', command: 'issue-ticket', ok: true, ms: 4 });
    log({ msg: 'command', command: 'call-next', ok: false, code: 'nobody-waiting' });
    expect(lines).toEqual([]);
    log.summarize();
    expect(lines).toEqual([
      expect.objectContaining({
        msg: 'summary',
        requests: { 200: 1000, 404: 10 },
        requestMs: { p50: 3, p95: 3, p99: 3, max: 3 },
        commands: { 'issue-ticket': 300 },
        refused: { 'call-next:nobody-waiting': 1 },
        commandMs: { p50: 4, p95: 4, p99: 4, max: 4 },
        slow: 0,
        heldBack: {},
        rssMb: 100,
      }),
    ]);
    log.summarize();
    expect(lines[1]).toMatchObject({ requests: {}, requestMs: null, commands: {} });
    log.close();
  });

  it('writes server errors and slow requests and commands, marked for the journal', () => {
    const { log, lines } = recorded({ slowMs: 500 });
    log({ msg: 'request', method: 'GET', path: '/api/v1/stats/series', status: 200, ms: 1200 });
    log({ msg: 'request', method: 'POST', path: '/api/v1/tickets', status: 503, ms: 2 });
    log({ msg: 'command', command: 'finish', ok: true, ms: 700 });
    log({ msg: 'request', method: 'GET', path: '/api/v1/hall', status: 200, ms: 20 });
    expect(lines).toEqual([
      expect.objectContaining({ path: '/api/v1/stats/series', level: 'warn' }),
      expect.objectContaining({ status: 503, level: 'error' }),
      expect.objectContaining({ command: 'finish', level: 'warn' }),
    ]);
    log.summarize();
    expect(lines.at(-1)).toMatchObject({ slow: 2, requestMs: { p50: 20, max: 1200 } });
    log.close();
  });

  it('writes every other line up to a burst per message, and counts the rest in the summary', () => {
    const { log, lines } = recorded({ burst: 3 });
    for (let i = 0; i < 50; i++) log({ msg: 'sign-in failed', username: `u${i}` });
    log({ msg: 'device offline', level: 'warn', device: 'printer' });
    expect(lines.map((l) => l.msg)).toEqual([
      'sign-in failed',
      'sign-in failed',
      'sign-in failed',
      'device offline',
    ]);
    log.summarize();
    expect(lines.at(-1)).toMatchObject({ heldBack: { 'sign-in failed': 47 } });
    log({ msg: 'sign-in failed', username: 'next' });
    expect(lines.at(-1)).toMatchObject({ msg: 'sign-in failed', username: 'next' });
    log.close();
  });

  it('cuts a line longer than the limit, keeping its start', () => {
    const { log, lines } = recorded({ maxLineBytes: 1000 });
    log({ msg: 'unhandled error', level: 'error', error: 'x'.repeat(50_000) });
    expect(JSON.stringify(lines[0]).length).toBeLessThan(1100);
    expect(lines[0]).toMatchObject({ msg: 'unhandled error', level: 'error', bytes: expect.any(Number) });
    log.close();
  });

  it('stays bounded whatever comes: a flood of distinct faults writes at most maxLines + 1 lines an interval', () => {
    const { log, lines } = recorded({ maxLines: 200 });
    for (let i = 0; i < 20_000; i++)
      log({ msg: `fault ${i % 5000}`, level: 'error', detail: 'x'.repeat(100) });
    for (let i = 0; i < 100_000; i++) log({ msg: 'request', status: 200, ms: 2 });
    log.summarize();
    expect(lines).toHaveLength(201);
    const summary = JSON.stringify(lines.at(-1));
    expect(summary.length).toBeLessThan(8000); // the held-back counts are bounded too
    expect(summary).toContain('"(other)"');
    log.close();
  });
});

describe('the rotating log file', () => {
  it('never holds more than (keep + 1) files of maxBytes, the newest lines in the file itself', () => {
    const dir = tempDir();
    const file = join(dir, 'hallq.log');
    const log = rotatingFileLog(file, { maxBytes: 2000, keep: 2 });
    for (let i = 0; i < 500; i++) log({ msg: 'line', i });
    const files = readdirSync(dir).sort();
    expect(files).toEqual(['hallq.log', 'hallq.log.1', 'hallq.log.2']);
    for (const f of files) expect(statSync(join(dir, f)).size).toBeLessThanOrEqual(2000);
    const last = readFileSync(file, 'utf8').trim().split('\n').at(-1)!;
    expect(JSON.parse(last)).toMatchObject({ msg: 'line', i: 499 });
  });
});

describe('standard output', () => {
  afterEach(() => vi.restoreAllMocks());

  it('prefixes each line with its syslog priority only when it is the journal', () => {
    const written: string[] = [];
    vi.spyOn(process.stdout, 'write').mockImplementation((chunk) => {
      written.push(String(chunk));
      return true;
    });
    const { dev, ino } = fstatSync(1);
    stdoutLog({ JOURNAL_STREAM: `${dev}:${ino}` })({ msg: 'printer offline', level: 'warn' });
    stdoutLog({ JOURNAL_STREAM: `${dev}:${ino}` })({ msg: 'hall listening' });
    stdoutLog({ JOURNAL_STREAM: '1:2' })({ msg: 'printer offline', level: 'warn' });
    stdoutLog({})({ msg: 'unhandled error', level: 'error' });
    expect(written.map((w) => w.slice(0, 4))).toEqual(['<4>{', '<6>{', '{"t"', '{"t"']);
    expect(JSON.parse(written[0]!.slice(3))).toMatchObject({ msg: 'printer offline', t: expect.any(String) });
  });
});
