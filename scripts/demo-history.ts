/**
 * Writes days of the demo hall, played by the hall simulator, into a new SQLite database:
 *
 *   node --import tsx scripts/demo-history.ts --days 56 --db data/demo.sqlite
 *     [--end YYYY-MM-DD (last day, default yesterday in the hall)] [--seed 1] [--scale 1]
 *
 * `npm start` runs it for a new demo hall; `--scale 6 --days 365` makes a year of a hall six times as
 * busy, for trying the manager pages on a large history.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  type DemoHistoryOptions,
  type DemoHistoryResult,
  writeDemoHistory,
} from '../server/app/demo-history.ts';
import { openDatabase } from '../server/db/open.ts';

/** Writes the history into a new database file (for this script, the benchmarks and the tests). */
export function writeDemoHistoryFile(dbPath: string, options: DemoHistoryOptions): DemoHistoryResult {
  if (existsSync(dbPath)) throw new Error(`${dbPath} exists: write a history into a new file`);
  const db = openDatabase(dbPath);
  try {
    return writeDemoHistory(db, options);
  } finally {
    db.close();
  }
}

const USAGE =
  'usage: node --import tsx scripts/demo-history.ts --days 56 --db path.sqlite [--end YYYY-MM-DD] [--seed 1] [--scale 1]\n';

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const { values } = parseArgs({
    options: {
      days: { type: 'string', default: '56' },
      db: { type: 'string' },
      end: { type: 'string' },
      seed: { type: 'string', default: '1' },
      scale: { type: 'string', default: '1' },
    },
  });
  const days = Number(values.days);
  const seed = Number(values.seed);
  const scale = Number(values.scale);
  if (
    !values.db ||
    !Number.isInteger(days) ||
    days < 1 ||
    !Number.isInteger(seed) ||
    !(scale > 0 && scale <= 20) ||
    (values.end !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.end))
  ) {
    process.stderr.write(USAGE);
    process.exit(2);
  }
  const result = writeDemoHistoryFile(resolve(values.db), { days, end: values.end, seed, scale });
  process.stdout.write(
    `${result.tickets} tickets and ${result.events} events, ${result.from} … ${result.to}, in ${(result.ms / 1000).toFixed(1)} s → ${values.db}\n`,
  );
}
