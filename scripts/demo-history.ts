/**
 * Writes days of the demo hall, played by the hall simulator, into a new SQLite database:
 *
 *   node --import tsx scripts/demo-history.ts --days 56 --db data/demo.sqlite
 *     [--end YYYY-MM-DD (last day, default yesterday in the hall)] [--seed 1] [--scale 1]
 *
 * `npm start` runs it for a new demo hall; `--scale 6 --days 365` makes a year of a hall six times as
 * busy, for trying the manager pages on a large history.
 */
import { resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { writeDemoHistory } from '../server/app/demo-history.ts';

const USAGE =
  'usage: node --import tsx scripts/demo-history.ts --days 56 --db path.sqlite [--end YYYY-MM-DD] [--seed 1] [--scale 1]\n';

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
const result = writeDemoHistory({ dbPath: resolve(values.db), days, end: values.end, seed, scale });
process.stdout.write(
  `${result.tickets} tickets and ${result.events} events, ${result.from} … ${result.to}, in ${(result.ms / 1000).toFixed(1)} s → ${values.db}\n`,
);
