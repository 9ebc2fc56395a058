/**
 * `npm run bench`: every benchmark, one table — benchmark | figure | target | ok. Benchmarks are not
 * pass/fail tests: a missed target is printed plainly and the exit code stays 0 (a crash in the harness
 * itself is the only failure). `npm run bench -- tickets stats` runs only the named ones; the long ones
 * (`soak-30`) run only when named.
 */
import { cpus, loadavg } from 'node:os';
import { benchCallToDisplay } from './display.bench.ts';
import { benchHardware } from './hardware.bench.ts';
import { benchHealth } from './health.bench.ts';
import { benchHq } from './hq.bench.ts';
import type { BenchRow } from './lib.ts';
import { benchMemory } from './memory.bench.ts';
import { benchPages } from './pages.bench.ts';
import { benchSimulation } from './simulation.bench.ts';
import { benchSoak } from './soak.bench.ts';
import { benchCallToSse } from './sse.bench.ts';
import { benchStats } from './stats.bench.ts';
import { benchTickets } from './tickets.bench.ts';

type Bench = { id: string; title: string; run: () => Promise<BenchRow[]>; onlyWhenNamed?: boolean };

const BENCHES: Bench[] = [
  { id: 'tickets', title: 'POST /tickets vs floor', run: benchTickets },
  { id: 'sse', title: 'call → SSE', run: benchCallToSse },
  { id: 'memory', title: 'memory with 200 SSE clients', run: benchMemory },
  { id: 'health', title: '/health under stuck streams', run: benchHealth },
  { id: 'stats', title: 'every statistics query over a year', run: benchStats },
  { id: 'pages', title: 'page sizes', run: benchPages },
  { id: 'display', title: 'call → wall display in Chromium', run: benchCallToDisplay },
  { id: 'hardware', title: 'hardware', run: benchHardware },
  { id: 'simulation', title: 'hall simulator: routing policies and ETA', run: benchSimulation },
  { id: 'soak', title: 'soak, 3 minutes', run: benchSoak(3) },
  { id: 'soak-30', title: 'soak, 30 minutes', run: benchSoak(30), onlyWhenNamed: true },
  { id: 'hq', title: 'HQ: 2,000 halls ingested, dashboards over 90 days', run: benchHq, onlyWhenNamed: true },
];

function table(rows: BenchRow[]): string {
  const cells = rows.map((r) => [r.name, r.figure, r.target, r.ok === null ? '' : r.ok ? 'yes' : 'NO']);
  const header = ['benchmark', 'figure', 'target', 'ok'];
  const widths = header.map((h, i) => Math.max(h.length, ...cells.map((c) => width(c[i]!))));
  const line = (c: string[]) => `| ${c.map((x, i) => x + ' '.repeat(widths[i]! - width(x))).join(' | ')} |`;
  return [line(header), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...cells.map(line)].join('\n');
}

/** Display width: East Asian wide characters take two columns. */
function width(text: string): number {
  let w = 0;
  for (const ch of text)
    w +=
      /[\u1100-\u115f\u2e80-\ua4cf\uac00-\ud7a3\uf900-\ufaff\ufe30-\ufe4f\uff00-\uff60\uffe0-\uffe6]/u.test(
        ch,
      )
        ? 2
        : 1;
  return w;
}

async function main(): Promise<void> {
  const only = process.argv.slice(2);
  const chosen = only.length
    ? BENCHES.filter((b) => only.includes(b.id))
    : BENCHES.filter((b) => !b.onlyWhenNamed);
  if (chosen.length === 0) {
    process.stderr.write(`unknown benchmark; choose from ${BENCHES.map((b) => b.id).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  const rows: BenchRow[] = [];
  const started = performance.now();
  const loadBefore = loadavg()[0]!;
  for (const bench of chosen) {
    const t0 = performance.now();
    process.stdout.write(`running ${bench.title} …`);
    try {
      rows.push(...(await bench.run()));
    } catch (error) {
      rows.push({
        name: bench.title,
        figure: `failed to run: ${error instanceof Error ? error.message : String(error)}`.slice(0, 200),
        target: '—',
        ok: false,
      });
    }
    process.stdout.write(` ${((performance.now() - t0) / 1000).toFixed(1)} s\n`);
  }
  const met = rows.filter((r) => r.ok === true).length;
  const missed = rows.filter((r) => r.ok === false).length;
  const unmeasured = rows.filter((r) => r.ok === null && r.target !== '—').length;
  process.stdout.write(
    `\n${table(rows)}\n\ntargets: ${met} met, ${missed} missed, ${unmeasured} not measured · ${((performance.now() - started) / 1000).toFixed(0)} s · ` +
      // Figures from a shared machine are only as good as its quiet: say how busy it was.
      `load average ${loadBefore.toFixed(1)} → ${loadavg()[0]!.toFixed(1)} on ${cpus().length} cores · ${new Date().toISOString()}\n`,
  );
}

await main();
// Open handles (an agent's idle socket, a child's pipe) must not keep the run alive.
process.exit(process.exitCode ?? 0);
