/**
 * Identification at the kiosk (身份识别): a phone number and a one-time code by SMS, or a read of the
 * kiosk's ID card reader or scanner. The outcome is a customer token: random, short-lived, kept only as
 * its hash, carrying the tier and masked data only, plus the BSS reference the self-service needs.
 *
 * Codes: 6 digits, kept as an HMAC under the hall's salt, valid 5 minutes, dead after 5 wrong tries or
 * when a newer code is sent. A new code for a phone only after a minute; at most 5 per phone and 30 per
 * kiosk an hour — enough for customers, too few to guess codes or probe who is a customer. A token is
 * good only at the kiosk that asked for it.
 */
import { randomInt, timingSafeEqual } from 'node:crypto';
import type { CustomerTier, IdentifiedCustomer, IdentifyPhoneAnswer } from '../contract/kiosk.ts';
import { type ChallengeRow, createIdentificationRepository } from '../db/identification.ts';
import { HOUR, MINUTE } from '../domain/clock.ts';
import { hallSalt, hashPhone, hmac, maskPhone, sha256 } from '../integrations/privacy.ts';
import { type Outcome, ok, refusal } from './command-path.ts';
import type { DeviceReads } from './device-reads.ts';
import { askBss, type KioskDeps, newId, tierOf } from './kiosk-common.ts';

export const CODE_TTL_MS = 5 * MINUTE;
export const RESEND_AFTER_MS = MINUTE;
export const MAX_WRONG_TRIES = 5;
export const CODES_PER_PHONE_PER_HOUR = 5;
export const CODES_PER_SOURCE_PER_HOUR = 30;
export const TOKEN_TTL_MS = 10 * MINUTE;
/** A token slides with use but never outlives this: a kiosk session is minutes, not hours. */
export const TOKEN_MAX_MS = 30 * MINUTE;

/** A customer as the use cases see them behind a token. */
export type CustomerSession = {
  /** The BSS customer id; null for someone identified by an ID card without a line here. */
  customerRef: string | null;
  tier: CustomerTier;
  maskedPhone: string | null;
  maskedName: string;
  age: number | null;
  kioskId: string | null;
};

const tokenHash = (token: string) => sha256(token);

export type Identify = ReturnType<typeof createIdentify>;

export function createIdentify(deps: KioskDeps, reads: DeviceReads) {
  const { db, clock } = deps;
  const salt = hallSalt(db);
  const rows = createIdentificationRepository(db);

  /** Milliseconds until the oldest of `times` leaves the window, when `times` are at the limit. */
  function waitFor(times: number[], limit: number, windowMs: number, now: number): number {
    return times.length >= limit ? times[times.length - limit]! + windowMs - now : 0;
  }

  /** Sends a one-time code to a customer's phone; the token it leads to is bound to this kiosk. */
  async function requestCode(phone: string, kioskId: string): Promise<Outcome<IdentifyPhoneAnswer>> {
    const now = clock.now();
    const phoneHash = hashPhone(salt, phone);
    const sourceKey = `kiosk:${kioskId}`;
    // Checked and counted before anything is awaited: two requests at once cannot both slip through.
    const limited = db.transaction(() => {
      rows.forgetCodeRequestsBefore(now - 24 * HOUR);
      const phoneTimes = rows.codeRequestTimesForPhone(phoneHash, now - HOUR);
      const last = phoneTimes[phoneTimes.length - 1];
      const sourceTimes = rows.codeRequestTimesFromSource(sourceKey, now - HOUR);
      const wait = Math.max(
        last !== undefined ? last + RESEND_AFTER_MS - now : 0,
        waitFor(phoneTimes, CODES_PER_PHONE_PER_HOUR, HOUR, now),
        waitFor(sourceTimes, CODES_PER_SOURCE_PER_HOUR, HOUR, now),
      );
      if (wait > 0) return wait;
      rows.addCodeRequest({ at: now, phone_hash: phoneHash, source: sourceKey });
      return 0;
    })();
    if (limited > 0)
      return refusal(429, 'too-many-requests', 'too many codes asked for: wait before asking again', {
        retryAfterSeconds: Math.ceil(limited / 1000),
      });

    const found = await askBss(deps, 'find customer by phone', () => deps.bss.findCustomer({ phone }));
    if (!found.ok) return found;
    if (!found.value) return refusal(404, 'not-a-customer', 'this number has no line with us');
    const customer = found.value;

    const code = String(randomInt(0, 1_000_000)).padStart(6, '0');
    const challengeId = newId();
    db.transaction(() => {
      rows.forgetChallengesExpiredBefore(now - 24 * HOUR);
      rows.closeOpenChallenges(phoneHash, now);
      rows.addChallenge({
        id: challengeId,
        phone_hash: phoneHash,
        phone_masked: maskPhone(phone),
        customer_ref: customer.customerId,
        code_hash: hmac(salt, `${challengeId}:${code}`),
        kiosk_id: kioskId,
        created_at: now,
        expires_at: now + CODE_TTL_MS,
      });
    })();
    try {
      await deps.sms.send({
        to: phone,
        text: `【营业厅】您的验证码是 ${code}，5分钟内有效，请勿告诉他人。Your code is ${code}, valid for 5 minutes. Do not share it.`,
      });
    } catch (error) {
      rows.closeChallenge(challengeId, clock.now());
      deps.log({ msg: 'sms failed', error: error instanceof Error ? error.message : String(error) });
      return refusal(503, 'sms-unavailable', 'the text message could not be sent: try again in a moment');
    }
    return ok({
      challengeId,
      expiresInSeconds: CODE_TTL_MS / 1000,
      resendAfterSeconds: RESEND_AFTER_MS / 1000,
    });
  }

  async function verifyCode(challengeId: string, code: string): Promise<Outcome<IdentifiedCustomer>> {
    const now = clock.now();
    const checked = db.transaction((): Outcome<ChallengeRow> => {
      const row = rows.challenge(challengeId);
      if (!row) return refusal(404, 'unknown-challenge', 'no such code request: ask for a new code');
      if (row.closed_at !== null || now >= row.expires_at)
        return refusal(410, 'code-expired', 'this code is no longer valid: ask for a new one');
      const expected = Buffer.from(row.code_hash, 'hex');
      const actual = Buffer.from(hmac(salt, `${challengeId}:${code}`), 'hex');
      if (!timingSafeEqual(expected, actual)) {
        const tries = rows.countWrongTry(challengeId);
        if (tries >= MAX_WRONG_TRIES) {
          rows.closeChallenge(challengeId, now);
          return refusal(410, 'code-expired', 'too many wrong codes: ask for a new one');
        }
        return refusal(409, 'wrong-code', `wrong code: ${MAX_WRONG_TRIES - tries} tries left`);
      }
      rows.closeChallenge(challengeId, now);
      return ok(row);
    })();
    if (!checked.ok) return checked;
    const found = await askBss(deps, 'find customer by id', () =>
      deps.bss.findCustomer({ customerId: checked.value.customer_ref }),
    );
    if (!found.ok) return found;
    if (!found.value) return refusal(404, 'not-a-customer', 'this number has no line with us any more');
    const c = found.value;
    return ok(
      issueToken({
        customerRef: c.customerId,
        tier: tierOf(c.star, c.age),
        maskedPhone: c.maskedPhone ?? checked.value.phone_masked,
        maskedName: c.maskedName,
        age: c.age,
        kioskId: checked.value.kiosk_id,
      }),
    );
  }

  /** Redeems an ID card read or a member code scanned at this kiosk. */
  async function redeemDeviceRead(kioskId: string, readId: string): Promise<Outcome<IdentifiedCustomer>> {
    const read = reads.take(kioskId, readId, ['id-card', 'member', 'unknown']);
    if (!read)
      return refusal(404, 'unknown-read', 'no such read at this kiosk (redeemed, or older than a minute)');
    if (read.kind === 'id-card') {
      const found = await askBss(deps, 'find customer by ID number', () =>
        deps.bss.findCustomer({ idNumberHash: read.id_number_hash! }),
      );
      if (!found.ok) return found;
      const c = found.value;
      // The card's own age is the authority on age; the BSS on who is a star customer.
      return ok(
        issueToken({
          customerRef: c?.customerId ?? null,
          tier: tierOf(c?.star ?? false, read.age ?? c?.age ?? null),
          maskedPhone: c?.maskedPhone ?? null,
          maskedName: c?.maskedName ?? read.name_masked ?? '*',
          age: read.age ?? c?.age ?? null,
          kioskId,
        }),
      );
    }
    if (read.kind === 'unknown' || !read.customer_ref)
      return refusal(404, 'not-a-customer', 'this code does not name a customer of ours');
    const found = await askBss(deps, 'find customer by id', () =>
      deps.bss.findCustomer({ customerId: read.customer_ref! }),
    );
    if (!found.ok) return found;
    if (!found.value) return refusal(404, 'not-a-customer', 'this code does not name a customer of ours');
    const c = found.value;
    return ok(
      issueToken({
        customerRef: c.customerId,
        tier: tierOf(c.star, c.age),
        maskedPhone: c.maskedPhone,
        maskedName: c.maskedName,
        age: c.age,
        kioskId,
      }),
    );
  }

  function issueToken(session: CustomerSession): IdentifiedCustomer {
    const token = newId() + newId();
    const now = clock.now();
    rows.forgetTokensExpiredBefore(now - 24 * HOUR);
    rows.addToken({
      token_hash: tokenHash(token),
      customer_ref: session.customerRef,
      tier: session.tier,
      phone_masked: session.maskedPhone,
      name_masked: session.maskedName,
      age: session.age,
      kiosk_id: session.kioskId,
      created_at: now,
      expires_at: now + TOKEN_TTL_MS,
    });
    return {
      token,
      maskedPhone: session.maskedPhone,
      maskedName: session.maskedName,
      tier: session.tier,
      age: session.age,
    };
  }

  /**
   * The customer behind a token. Using a token keeps it alive for another ten minutes (a payment in
   * progress must not lose its customer), up to half an hour after identification. A token is good
   * only at the kiosk that identified the customer: `kioskId` is the kiosk asking (undefined when the
   * caller names none, which no token accepts).
   */
  function customer(token: string | undefined, kioskId: string | undefined): Outcome<CustomerSession> {
    if (!token) return refusal(401, 'customer-required', 'identify the customer first');
    const now = clock.now();
    const row = rows.token(tokenHash(token));
    const expired = !row || now >= row.expires_at || now >= row.created_at + TOKEN_MAX_MS;
    if (expired || kioskId === undefined || row.kiosk_id !== kioskId)
      return refusal(401, 'customer-expired', 'the identification has expired: identify again');
    rows.extendToken(row.token_hash, Math.min(now + TOKEN_TTL_MS, row.created_at + TOKEN_MAX_MS));
    return ok({
      customerRef: row.customer_ref,
      tier: row.tier,
      maskedPhone: row.phone_masked,
      maskedName: row.name_masked,
      age: row.age,
      kioskId: row.kiosk_id,
    });
  }

  return { requestCode, verifyCode, redeemDeviceRead, customer };
}
