/** The health_probe table: one row rewritten by `/health`, a real write that fails as a ticket would. */
import type { Db } from './open.ts';

export function createHealthProbeRepository(db: Db) {
  const write = db.prepare<[number]>(
    'INSERT INTO health_probe(id, at) VALUES (1, ?) ON CONFLICT(id) DO UPDATE SET at = excluded.at',
  );
  return { write: (at: number): void => void write.run(at) };
}
