/**
 * The services table: the configured services, mirrored so that tickets can refer to them. A service
 * no longer configured keeps its row (old tickets name it), disabled.
 */
import type { Text } from '../contract/api.ts';
import type { Db } from './open.ts';

export type ServiceRecord = {
  id: string;
  prefix: string;
  name: Text;
  waitTargetMinutes: number;
  enabled: boolean;
};

export type ServiceRepository = ReturnType<typeof createServiceRepository>;

export function createServiceRepository(db: Db) {
  const st = {
    ids: db.prepare<[], { id: string }>('SELECT id FROM services'),
    // Its prefix is freed for another service: prefixes are unique.
    retire: db.prepare<[string]>("UPDATE services SET prefix = '~' || id, enabled = 0 WHERE id = ?"),
    upsert: db.prepare<{
      id: string;
      prefix: string;
      nameZh: string;
      nameEn: string;
      waitTargetMinutes: number;
      enabled: 0 | 1;
    }>(
      `INSERT INTO services(id, prefix, name_zh, name_en, wait_target_minutes, enabled)
       VALUES (@id, @prefix, @nameZh, @nameEn, @waitTargetMinutes, @enabled)
       ON CONFLICT(id) DO UPDATE SET prefix = excluded.prefix, name_zh = excluded.name_zh, name_en = excluded.name_en,
         wait_target_minutes = excluded.wait_target_minutes, enabled = excluded.enabled`,
    ),
  };

  return {
    /** The rows follow `services`: each written as configured, the others retired. Call in a transaction. */
    mirror(services: readonly ServiceRecord[]): void {
      // A prefix freed by one service may be taken by another: retire the others first.
      const configured = new Set(services.map((s) => s.id));
      for (const { id } of st.ids.all()) if (!configured.has(id)) st.retire.run(id);
      for (const s of services)
        st.upsert.run({
          id: s.id,
          prefix: s.prefix,
          nameZh: s.name.zh,
          nameEn: s.name.en,
          waitTargetMinutes: s.waitTargetMinutes,
          enabled: s.enabled ? 1 : 0,
        });
    },
  };
}
