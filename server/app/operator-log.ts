/**
 * The hall's log, bounded by design. The parts of the server log a JSON line per request and per queue
 * command (about 200 MB on a busy day); an operator needs the faults and the shape of the day, not
 * every request. So:
 *
 * - `request` and `command` lines are counted, not written. Written are only requests answered 5xx or
 *   slower than `slowMs`, and commands slower than `slowMs`.
 * - Every other line (warnings, errors, device and storage faults, backups, the start) is written, at
 *   most `burst` lines of one `msg` per interval, and at most `maxLines` lines in all; the rest are
 *   counted.
 * - Every `intervalMs` one `summary` line: requests by status, their latency, commands done and
 *   refused by code, slow ones, the lines held back by `msg`, memory. It is also the heartbeat.
 *
 * Bound: at most `maxLines` + 1 lines per interval, each at most `maxLineBytes`: with the defaults
 * (200 lines, 4 KB, 15 minutes) 3.2 MB an hour in the worst case; a normal day writes a summary every
 * quarter hour and a few warnings, ~50 KB.
 */
import { closeSync, existsSync, fstatSync, openSync, renameSync, statSync, writeSync } from 'node:fs';

export type LogLine = Record<string, unknown>;
export type Log = (line: LogLine) => void;

export type OperatorLogOptions = {
  intervalMs?: number;
  slowMs?: number;
  burst?: number;
  maxLines?: number;
  maxLineBytes?: number;
  /** Memory figures for the summary; absent, the process's own. */
  memory?: () => { rssMb: number; heapMb: number };
};

/** Latency buckets (ms, upper bounds) of the summary: percentiles are reported to the bucket. */
const BUCKETS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 10_000, 30_000, Infinity];
/** Distinct `msg`s tracked for holding back; more than that are counted together (a defect elsewhere). */
const MAX_KINDS = 100;

class Histogram {
  private counts = new Array<number>(BUCKETS.length).fill(0);
  private n = 0;
  private max = 0;
  add(ms: number): void {
    this.counts[BUCKETS.findIndex((b) => ms <= b)]! += 1;
    this.n += 1;
    this.max = Math.max(this.max, ms);
  }
  /** The bucket bound below which `p` per cent of the values lie. */
  private percentile(p: number): number {
    let seen = 0;
    for (let i = 0; i < BUCKETS.length; i++) {
      seen += this.counts[i]!;
      if (seen >= (p / 100) * this.n) return Math.min(BUCKETS[i]!, this.max);
    }
    return this.max;
  }
  summary() {
    if (this.n === 0) return null;
    return { p50: this.percentile(50), p95: this.percentile(95), p99: this.percentile(99), max: this.max };
  }
}

/** Adds one to `key` of a small counting record. */
const count = (record: Record<string, number>, key: string) => {
  record[key] = (record[key] ?? 0) + 1;
};

export function createOperatorLog(write: Log, options: OperatorLogOptions = {}) {
  const intervalMs = options.intervalMs ?? 15 * 60_000;
  const slowMs = options.slowMs ?? 1000;
  const burst = options.burst ?? 20;
  const maxLines = options.maxLines ?? 200;
  const maxLineBytes = options.maxLineBytes ?? 4096;
  const memory =
    options.memory ??
    (() => {
      const m = process.memoryUsage();
      return { rssMb: Math.round(m.rss / 1048576), heapMb: Math.round(m.heapUsed / 1048576) };
    });

  let period = fresh();
  function fresh() {
    return {
      started: Date.now(),
      written: 0,
      byMsg: {} as Record<string, number>,
      heldBack: {} as Record<string, number>,
      requests: {} as Record<string, number>,
      requestMs: new Histogram(),
      commands: {} as Record<string, number>,
      refused: {} as Record<string, number>,
      commandMs: new Histogram(),
      slow: 0,
    };
  }

  /** Writes a line within the interval's allowance, or counts it as held back. */
  function pass(line: LogLine): void {
    const msg = String(line.msg ?? '');
    const kind = msg in period.byMsg || Object.keys(period.byMsg).length < MAX_KINDS ? msg : '(other)';
    count(period.byMsg, kind);
    if (period.byMsg[kind]! > burst || period.written >= maxLines) {
      count(period.heldBack, kind);
      return;
    }
    period.written += 1;
    write(clip(line));
  }

  /** A line longer than the limit (a long stack, a big field) keeps its start and says it was cut. */
  function clip(line: LogLine): LogLine {
    const text = JSON.stringify(line);
    if (text.length <= maxLineBytes) return line;
    return {
      msg: line.msg,
      level: line.level,
      cut: `${text.slice(0, maxLineBytes - 200)}…`,
      bytes: text.length,
    };
  }

  const log: Log = (line) => {
    if (line.msg === 'request') {
      const status = Number(line.status);
      const ms = Number(line.ms);
      count(period.requests, String(status));
      period.requestMs.add(ms);
      if (ms >= slowMs) period.slow += 1;
      if (status >= 500 || ms >= slowMs) pass({ ...line, level: status >= 500 ? 'error' : 'warn' });
      return;
    }
    if (line.msg === 'command') {
      const ms = Number(line.ms);
      if (line.ok) count(period.commands, String(line.command));
      else count(period.refused, `${line.command}:${line.code}`);
      if (Number.isFinite(ms)) {
        period.commandMs.add(ms);
        if (ms >= slowMs) {
          period.slow += 1;
          pass({ ...line, level: 'warn' });
        }
      }
      return;
    }
    pass(line);
  };

  /** Writes the summary of the interval so far and starts the next one. */
  function summarize(): void {
    const p = period;
    period = fresh();
    write({
      msg: 'summary',
      minutes: Math.round((Date.now() - p.started) / 6000) / 10,
      requests: p.requests,
      requestMs: p.requestMs.summary(),
      commands: p.commands,
      refused: p.refused,
      commandMs: p.commandMs.summary(),
      slow: p.slow,
      heldBack: p.heldBack,
      ...memory(),
    });
  }

  const timer = setInterval(summarize, intervalMs);
  timer.unref();

  return Object.assign(log, {
    summarize,
    /** Writes the last summary and stops the timer. */
    close(): void {
      clearInterval(timer);
      summarize();
    },
  });
}

export type OperatorLog = ReturnType<typeof createOperatorLog>;

/** syslog priorities journald reads from a `<N>` prefix. */
const PRIORITY: Record<string, number> = { error: 3, warn: 4 };

/**
 * Standard output, one JSON line each. When standard output is the journal (systemd says so in
 * JOURNAL_STREAM), each line starts with its priority (`<3>` error, `<4>` warning, `<6>` the rest), so
 * `journalctl -p warning` finds the faults.
 */
export function stdoutLog(env: NodeJS.ProcessEnv = process.env): Log {
  const journal = isJournal(env.JOURNAL_STREAM);
  return (line) => {
    const prefix = journal ? `<${PRIORITY[String(line.level)] ?? 6}>` : '';
    process.stdout.write(`${prefix}${JSON.stringify({ t: new Date().toISOString(), ...line })}\n`);
  };
}

function isJournal(stream: string | undefined): boolean {
  if (!stream) return false;
  try {
    const { dev, ino } = fstatSync(1);
    return stream === `${dev}:${ino}`;
  } catch {
    return false;
  }
}

/**
 * A log file that never grows past `maxBytes`: when the next line would not fit, `file` becomes
 * `file.1` (and `file.1` becomes `file.2` …, up to `keep`), and a new `file` starts. At most
 * (keep + 1) × maxBytes on disk. Written synchronously: the lines are few, and a line written before a
 * crash is there after it.
 */
export function rotatingFileLog(file: string, options: { maxBytes?: number; keep?: number } = {}): Log {
  const maxBytes = options.maxBytes ?? 10 * 1024 * 1024;
  const keep = options.keep ?? 3;
  let fd = openSync(file, 'a');
  let size = existsSync(file) ? statSync(file).size : 0;
  return (line) => {
    const text = `${JSON.stringify({ t: new Date().toISOString(), ...line })}\n`;
    const bytes = Buffer.byteLength(text);
    if (size > 0 && size + bytes > maxBytes) {
      closeSync(fd);
      for (let n = keep - 1; n >= 1; n--)
        if (existsSync(`${file}.${n}`)) renameSync(`${file}.${n}`, `${file}.${n + 1}`);
      renameSync(file, `${file}.1`);
      fd = openSync(file, 'a');
      size = 0;
    }
    writeSync(fd, text);
    size += bytes;
  };
}
