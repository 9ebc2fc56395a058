import { describe, expect, it } from 'vitest';
import { createDeviceTokensRepository } from './device-tokens.ts';
import { openDatabase } from './open.ts';

describe('the device token rows', () => {
  it('finds a token by its hash, lists them oldest first, and forgets a revoked one', () => {
    const tokens = createDeviceTokensRepository(openDatabase(':memory:'));
    tokens.add('hash-a', 'kiosk', 'k1', 10);
    tokens.add('hash-b', 'display', 'wall', 20);
    expect(tokens.byHash('hash-b')).toEqual({ kind: 'display', device_id: 'wall' });
    expect(tokens.byHash('hash-c')).toBeUndefined();
    const [first, second] = tokens.all();
    expect(tokens.all()).toEqual([
      { id: first!.id, kind: 'kiosk', device_id: 'k1', created_at: 10 },
      { id: second!.id, kind: 'display', device_id: 'wall', created_at: 20 },
    ]);
    expect(tokens.newest()).toEqual(second);
    tokens.revoke(second!.id);
    expect(tokens.byId(second!.id)).toBeUndefined();
    expect(tokens.byHash('hash-b')).toBeUndefined();
    expect(tokens.newest()).toEqual(first);
  });
});
