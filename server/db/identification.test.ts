import { describe, expect, it } from 'vitest';
import { HALL_MORNING } from '../../tests/helpers/test-hall.ts';
import { createIdentificationRepository } from './identification.ts';
import { openDatabase } from './open.ts';

const MINUTE = 60_000;

const challenge = (id: string, phoneHash = 'phone-a') => ({
  id,
  phone_hash: phoneHash,
  phone_masked: '138****0001',
  customer_ref: 'C1001',
  code_hash: 'hmac',
  kiosk_id: 'k1',
  created_at: HALL_MORNING,
  expires_at: HALL_MORNING + 5 * MINUTE,
});

describe('the identification rows', () => {
  it('counts code requests per phone and per source within the window asked about, oldest first', () => {
    const rows = createIdentificationRepository(openDatabase(':memory:'));
    for (const [at, phone, source] of [
      [HALL_MORNING + 2, 'phone-a', 'kiosk:k1'],
      [HALL_MORNING + 1, 'phone-a', 'kiosk:k2'],
      [HALL_MORNING + 3, 'phone-b', 'kiosk:k1'],
    ] as const)
      rows.addCodeRequest({ at, phone_hash: phone, source });
    expect(rows.codeRequestTimesForPhone('phone-a', HALL_MORNING)).toEqual([
      HALL_MORNING + 1,
      HALL_MORNING + 2,
    ]);
    expect(rows.codeRequestTimesFromSource('kiosk:k1', HALL_MORNING + 2)).toEqual([HALL_MORNING + 3]);
    rows.forgetCodeRequestsBefore(HALL_MORNING + 3);
    expect(rows.codeRequestTimesForPhone('phone-a', 0)).toEqual([]);
    expect(rows.codeRequestTimesFromSource('kiosk:k1', 0)).toEqual([HALL_MORNING + 3]);
  });

  it("a new code closes the phone's open codes; a closed code keeps the time it was first closed", () => {
    const rows = createIdentificationRepository(openDatabase(':memory:'));
    rows.addChallenge(challenge('old'));
    rows.addChallenge(challenge('other', 'phone-b'));
    rows.closeOpenChallenges('phone-a', HALL_MORNING + MINUTE);
    rows.closeChallenge('old', HALL_MORNING + 2 * MINUTE);
    expect(rows.challenge('old')?.closed_at).toBe(HALL_MORNING + MINUTE);
    expect(rows.challenge('other')?.closed_at).toBeNull();
  });

  it('counts the wrong tries of a code', () => {
    const rows = createIdentificationRepository(openDatabase(':memory:'));
    rows.addChallenge(challenge('c'));
    expect(rows.challenge('c')?.wrong_tries).toBe(0);
    expect([rows.countWrongTry('c'), rows.countWrongTry('c')]).toEqual([1, 2]);
  });

  it('a token is found by its hash, extended, and forgotten a while after it expired', () => {
    const rows = createIdentificationRepository(openDatabase(':memory:'));
    const token = {
      token_hash: 'th',
      customer_ref: null,
      tier: 'elderly' as const,
      phone_masked: null,
      name_masked: '王*',
      age: 72,
      kiosk_id: 'k1',
      created_at: HALL_MORNING,
      expires_at: HALL_MORNING + 10 * MINUTE,
    };
    rows.addToken(token);
    expect(rows.token('th')).toEqual(token);
    rows.extendToken('th', HALL_MORNING + 20 * MINUTE);
    rows.forgetTokensExpiredBefore(HALL_MORNING + 15 * MINUTE);
    expect(rows.token('th')?.expires_at).toBe(HALL_MORNING + 20 * MINUTE);
    rows.forgetTokensExpiredBefore(HALL_MORNING + 21 * MINUTE);
    expect(rows.token('th')).toBeUndefined();
  });
});
