/**
 * Configuration from HQ: a service catalogue and wait targets per region, published as numbered
 * versions. A hall pulls the newest of its region (`GET /hq/v1/config`, telling which version it runs),
 * applies it at its next opening day, and HQ shows the halls that run an older one.
 */
import type { HqCatalogue, HqCatalogueService } from '../../server/contract/hq.ts';
import type { HqCatalogueVersion } from '../contract.ts';
import { ALL, type HqDb, type Scope } from './db.ts';

type Row = {
  region: string;
  version: number;
  services: HqCatalogueService[];
  published_at: Date;
  published_by: string;
};

const versionOf = (r: Row): HqCatalogueVersion => ({
  region: r.region,
  version: r.version,
  publishedAt: r.published_at.toISOString(),
  publishedBy: r.published_by,
  services: r.services,
});

export type Catalogues = ReturnType<typeof createCatalogues>;

export function createCatalogues(db: HqDb, now: () => number) {
  return {
    /** Publishes the next version for a region (in the publisher's scope: a region manager, their own). */
    async publish(
      scope: Scope,
      region: string,
      services: HqCatalogueService[],
      by: string,
    ): Promise<HqCatalogueVersion> {
      return db.tx(scope, async (c) => {
        await c.query('SELECT pg_advisory_xact_lock(7110003, hashtext($1))', [region]);
        const { rows } = await c.query<Row>(
          `INSERT INTO hq_catalogues (region, version, services, published_at, published_by)
           SELECT $1, coalesce(max(version), 0) + 1, $2, to_timestamp($3 / 1000.0), $4
             FROM hq_catalogues WHERE region = $1
           RETURNING *`,
          [region, JSON.stringify(services), now(), by],
        );
        return versionOf(rows[0]!);
      });
    },

    /** The versions of a region, newest first. */
    async versions(scope: Scope, region: string): Promise<HqCatalogueVersion[]> {
      const rows = await db.read<Row>(
        scope,
        'SELECT * FROM hq_catalogues WHERE region = $1 ORDER BY version DESC LIMIT 50',
        [region],
      );
      return rows.map(versionOf);
    },

    /** A hall's pull: records the version it runs, answers the newest of its region (null: none yet). */
    async pull(hallKey: number, running: number | null): Promise<HqCatalogue | null> {
      return db.tx(ALL, async (c) => {
        const { rows } = await c.query<Row>(
          `WITH hall AS (
             UPDATE hq_halls SET catalogue_version = $2, catalogue_pulled_at = to_timestamp($3 / 1000.0)
              WHERE hall_key = $1 RETURNING region)
           SELECT c.* FROM hq_catalogues c JOIN hall ON hall.region = c.region ORDER BY c.version DESC LIMIT 1`,
          [hallKey, running, now()],
        );
        const r = rows[0];
        return r
          ? {
              region: r.region,
              version: r.version,
              publishedAt: r.published_at.toISOString(),
              services: r.services,
            }
          : null;
      });
    },
  };
}
