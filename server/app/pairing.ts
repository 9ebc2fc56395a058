/**
 * Pairing of kiosks and displays: a screen without a token asks for a pairing code (`POST
 * /pairing/requests`) and shows it; a manager approves the code as a kiosk or display with its id; the
 * screen, polling its request, receives its device token once. Only the token's hash is stored
 * (device_tokens); the plain token lives in memory between the approval and the screen's next poll.
 *
 * Pending requests are kept in memory on purpose: they live ten minutes, and after a restart the screen
 * simply asks again. Their number is capped, so an unpaired screen (or anyone) cannot flood the list.
 */
import { randomBytes, randomInt } from 'node:crypto';
import type {
  DeviceTokenView,
  PairingRequestView,
  PairingStatus,
  PairingTicket,
  ScreenKind,
} from '../contract/manager.ts';
import { createDeviceTokensRepository, type DeviceTokenRow } from '../db/device-tokens.ts';
import type { Db } from '../db/open.ts';
import { type Clock, MINUTE } from '../domain/clock.ts';
import type { AuditLog } from './audit.ts';
import type { Auth } from './auth.ts';
import { type CommandPath, type Outcome, refusal } from './command-path.ts';
import type { Actor } from './hall.ts';

export const PAIRING_MINUTES = 10;
export const MAX_PENDING = 20;
/** Digits and capitals without look-alikes (0/O, 1/I/L), read off a screen across a hall. */
const CODE_ALPHABET = '23456789ABCDEFGHJKMNPQRSTUVWXYZ';

type Request = {
  id: string;
  code: string;
  createdAt: number;
  expiresAt: number;
  paired: { kind: ScreenKind; deviceId: string; token: string } | null;
};

export type Pairing = ReturnType<typeof createPairing>;

export function createPairing(deps: {
  db: Db;
  clock: Clock;
  auth: Auth;
  audit: AuditLog;
  commands: CommandPath;
}) {
  const { db, clock, auth, audit } = deps;
  const requests = new Map<string, Request>();
  const tokens = createDeviceTokensRepository(db);
  const tokenView = (t: DeviceTokenRow): DeviceTokenView => ({
    id: t.id,
    kind: t.kind,
    deviceId: t.device_id,
    createdAt: new Date(t.created_at).toISOString(),
  });

  function sweep(now: number): void {
    for (const [id, r] of requests) if (r.expiresAt <= now) requests.delete(id);
  }

  function newCode(): string {
    for (;;) {
      const code = Array.from({ length: 6 }, () => CODE_ALPHABET[randomInt(CODE_ALPHABET.length)]).join('');
      if (![...requests.values()].some((r) => r.code === code)) return code;
    }
  }

  return {
    /** A screen asks to be paired: a short code to show and an unguessable id to poll; null when full. */
    request(): PairingTicket | null {
      const now = clock.now();
      sweep(now);
      if ([...requests.values()].filter((r) => !r.paired).length >= MAX_PENDING) return null;
      const r: Request = {
        id: randomBytes(16).toString('base64url'),
        code: newCode(),
        createdAt: now,
        expiresAt: now + PAIRING_MINUTES * MINUTE,
        paired: null,
      };
      requests.set(r.id, r);
      return { id: r.id, code: r.code, expiresAt: new Date(r.expiresAt).toISOString() };
    },

    /** The screen's poll: pending, or paired with its token — once; afterwards (or expired) gone. */
    status(id: string): PairingStatus {
      sweep(clock.now());
      const r = requests.get(id);
      if (!r) return { status: 'gone' };
      if (!r.paired)
        return { status: 'pending', code: r.code, expiresAt: new Date(r.expiresAt).toISOString() };
      requests.delete(id);
      return { status: 'paired', ...r.paired };
    },

    /** The codes waiting for a manager, oldest first. */
    pending(): PairingRequestView[] {
      sweep(clock.now());
      return [...requests.values()]
        .filter((r) => !r.paired)
        .map((r) => ({
          id: r.id,
          code: r.code,
          createdAt: new Date(r.createdAt).toISOString(),
          expiresAt: new Date(r.expiresAt).toISOString(),
        }));
    },

    /** A manager pairs the screen showing this request's code as a kiosk or display. */
    approve(
      id: string,
      device: { kind: ScreenKind; deviceId: string },
      actor: Actor,
    ): Outcome<DeviceTokenView> {
      const now = clock.now();
      sweep(now);
      const r = requests.get(id);
      if (!r)
        return refusal(404, 'pairing-request-not-found', 'no such pairing request (it may have expired)');
      if (r.paired)
        return refusal(
          409,
          'already-paired',
          `this screen is already paired as ${r.paired.kind} ${r.paired.deviceId}`,
        );
      const paired = deps.commands.run('pair-device', () => {
        const t = auth.createDeviceToken(device.kind, device.deviceId);
        const newest = tokens.newest()!;
        audit.record({
          at: now,
          userId: actor.id,
          action: 'device.pair',
          target: `${device.kind} ${device.deviceId}`,
          before: null,
          after: { kind: device.kind, deviceId: device.deviceId, code: r.code },
        });
        return { token: t, row: newest };
      });
      if (!paired.ok) return paired;
      const { token, row } = paired.value;
      r.paired = { ...device, token };
      return { ok: true, value: tokenView(row) };
    },

    tokens(): DeviceTokenView[] {
      return tokens.all().map(tokenView);
    },

    /** Revokes a screen's token: its next request is unpaired (401). */
    revoke(tokenId: number, actor: Actor): Outcome<null> {
      const row = tokens.byId(tokenId);
      if (!row) return refusal(404, 'device-token-not-found', `no device token ${tokenId}`);
      const revoked = deps.commands.run('revoke-device', () => {
        tokens.revoke(tokenId);
        audit.record({
          at: clock.now(),
          userId: actor.id,
          action: 'device.revoke',
          target: `${row.kind} ${row.device_id}`,
          before: { tokenId, kind: row.kind, deviceId: row.device_id },
          after: null,
        });
      });
      if (!revoked.ok) return revoked;
      return { ok: true, value: null };
    },
  };
}
