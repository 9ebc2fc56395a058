/** The paired kiosks' and displays' tokens, each stored as its SHA-256 (server/app/auth.ts hashes). */
import type { ScreenKind } from '../contract/manager.ts';
import type { Db } from './open.ts';

/** A token as the manager lists it: its row id, never its hash. */
export type DeviceTokenRow = { id: number; kind: ScreenKind; device_id: string; created_at: number };

export type DeviceTokensRepository = ReturnType<typeof createDeviceTokensRepository>;

export function createDeviceTokensRepository(db: Db) {
  const st = {
    byHash: db.prepare<[string], Pick<DeviceTokenRow, 'kind' | 'device_id'>>(
      'SELECT kind, device_id FROM device_tokens WHERE token_hash = ?',
    ),
    add: db.prepare<[string, ScreenKind, string, number]>(
      'INSERT INTO device_tokens(token_hash, kind, device_id, created_at) VALUES (?, ?, ?, ?)',
    ),
    all: db.prepare<[], DeviceTokenRow>(
      'SELECT rowid AS id, kind, device_id, created_at FROM device_tokens ORDER BY rowid',
    ),
    byId: db.prepare<[number], DeviceTokenRow>(
      'SELECT rowid AS id, kind, device_id, created_at FROM device_tokens WHERE rowid = ?',
    ),
    newest: db.prepare<[], DeviceTokenRow>(
      'SELECT rowid AS id, kind, device_id, created_at FROM device_tokens ORDER BY rowid DESC LIMIT 1',
    ),
    revoke: db.prepare<[number]>('DELETE FROM device_tokens WHERE rowid = ?'),
  };

  return {
    byHash: (tokenHash: string) => st.byHash.get(tokenHash),
    add: (tokenHash: string, kind: ScreenKind, deviceId: string, at: number) =>
      void st.add.run(tokenHash, kind, deviceId, at),
    /** Oldest first. */
    all: (): DeviceTokenRow[] => st.all.all(),
    byId: (id: number): DeviceTokenRow | undefined => st.byId.get(id),
    /** The token added last. */
    newest: (): DeviceTokenRow | undefined => st.newest.get(),
    revoke: (id: number) => void st.revoke.run(id),
  };
}
