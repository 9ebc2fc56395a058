/**
 * The rows of identification at the kiosk: the requests for one-time codes (for the rate limits), the
 * codes sent (kept as their HMACs) and the tokens of identified customers (kept as their hashes).
 */
import type { CustomerTier } from '../contract/kiosk.ts';
import type { Db } from './open.ts';

export type CodeRequestRow = { at: number; phone_hash: string; source: string };

export type ChallengeRow = {
  id: string;
  phone_hash: string;
  phone_masked: string;
  customer_ref: string;
  code_hash: string;
  kiosk_id: string | null;
  created_at: number;
  expires_at: number;
  wrong_tries: number;
  closed_at: number | null;
};

export type TokenRow = {
  token_hash: string;
  customer_ref: string | null;
  tier: CustomerTier;
  phone_masked: string | null;
  name_masked: string;
  age: number | null;
  kiosk_id: string | null;
  created_at: number;
  expires_at: number;
};

export type IdentificationRepository = ReturnType<typeof createIdentificationRepository>;

export function createIdentificationRepository(db: Db) {
  const st = {
    requestsForPhone: db
      .prepare<[string, number], number>(
        'SELECT at FROM code_requests WHERE phone_hash = ? AND at > ? ORDER BY at',
      )
      .pluck(),
    requestsFromSource: db
      .prepare<[string, number], number>(
        'SELECT at FROM code_requests WHERE source = ? AND at > ? ORDER BY at',
      )
      .pluck(),
    addRequest: db.prepare<CodeRequestRow>(
      'INSERT INTO code_requests(at, phone_hash, source) VALUES (@at, @phone_hash, @source)',
    ),
    purgeRequests: db.prepare<[number]>('DELETE FROM code_requests WHERE at < ?'),
    purgeChallenges: db.prepare<[number]>('DELETE FROM code_challenges WHERE expires_at < ?'),
    closeOpenChallenges: db.prepare<[number, string]>(
      'UPDATE code_challenges SET closed_at = ? WHERE phone_hash = ? AND closed_at IS NULL',
    ),
    addChallenge: db.prepare<Omit<ChallengeRow, 'wrong_tries' | 'closed_at'>>(
      `INSERT INTO code_challenges(id, phone_hash, phone_masked, customer_ref, code_hash, kiosk_id, created_at, expires_at)
       VALUES (@id, @phone_hash, @phone_masked, @customer_ref, @code_hash, @kiosk_id, @created_at, @expires_at)`,
    ),
    challenge: db.prepare<[string], ChallengeRow>('SELECT * FROM code_challenges WHERE id = ?'),
    wrongTry: db
      .prepare<[string], number>(
        'UPDATE code_challenges SET wrong_tries = wrong_tries + 1 WHERE id = ? RETURNING wrong_tries',
      )
      .pluck(),
    closeChallenge: db.prepare<[number, string]>(
      'UPDATE code_challenges SET closed_at = ? WHERE id = ? AND closed_at IS NULL',
    ),
    addToken: db.prepare<TokenRow>(
      `INSERT INTO customer_tokens(token_hash, customer_ref, tier, phone_masked, name_masked, age, kiosk_id, created_at, expires_at)
       VALUES (@token_hash, @customer_ref, @tier, @phone_masked, @name_masked, @age, @kiosk_id, @created_at, @expires_at)`,
    ),
    token: db.prepare<[string], TokenRow>('SELECT * FROM customer_tokens WHERE token_hash = ?'),
    extendToken: db.prepare<[number, string]>(
      'UPDATE customer_tokens SET expires_at = ? WHERE token_hash = ?',
    ),
    purgeTokens: db.prepare<[number]>('DELETE FROM customer_tokens WHERE expires_at < ?'),
  };

  return {
    /** When codes were asked for this phone after `since`, oldest first. */
    codeRequestTimesForPhone: (phoneHash: string, since: number): number[] =>
      st.requestsForPhone.all(phoneHash, since),
    /** When codes were asked from this source (`kiosk:<id>`) after `since`, oldest first. */
    codeRequestTimesFromSource: (source: string, since: number): number[] =>
      st.requestsFromSource.all(source, since),
    addCodeRequest: (request: CodeRequestRow) => void st.addRequest.run(request),
    forgetCodeRequestsBefore: (at: number) => void st.purgeRequests.run(at),

    forgetChallengesExpiredBefore: (at: number) => void st.purgeChallenges.run(at),
    /** Ends every open challenge of a phone: only the newest code counts. */
    closeOpenChallenges: (phoneHash: string, at: number) => void st.closeOpenChallenges.run(at, phoneHash),
    addChallenge: (challenge: Omit<ChallengeRow, 'wrong_tries' | 'closed_at'>) =>
      void st.addChallenge.run(challenge),
    challenge: (id: string): ChallengeRow | undefined => st.challenge.get(id),
    /** Counts a wrong code against a challenge; answers the wrong tries so far. */
    countWrongTry: (id: string): number => st.wrongTry.get(id)!,
    /** Closes a challenge that is still open (a closed one keeps its first closing time). */
    closeChallenge: (id: string, at: number) => void st.closeChallenge.run(at, id),

    addToken: (token: TokenRow) => void st.addToken.run(token),
    token: (tokenHash: string): TokenRow | undefined => st.token.get(tokenHash),
    extendToken: (tokenHash: string, expiresAt: number) => void st.extendToken.run(expiresAt, tokenHash),
    forgetTokensExpiredBefore: (at: number) => void st.purgeTokens.run(at),
  };
}
