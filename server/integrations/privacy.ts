/**
 * How HallQ keeps personal data it must be able to match later (a phone number, an ID number) without
 * keeping it: salted SHA-256 under the hall's own salt, plus a masked form for screens. Shared by the
 * use cases and the embedded demo BSS, which live on the same database and so the same salt.
 */
import { createHash, createHmac, randomBytes } from 'node:crypto';
import type Database from 'better-sqlite3';

/**
 * The hall's salt, made once per database (the same one the ticket phone hashes use).
 * Hazard: a copy of the database carries its salt, so a hash of a low-entropy value (a phone number)
 * can be brute-forced by whoever holds the copy; the salt only stops precomputed tables across halls.
 */
export function hallSalt(db: Database.Database): string {
  db.prepare("INSERT OR IGNORE INTO settings(key, value) VALUES ('salt', ?)").run(
    randomBytes(16).toString('hex'),
  );
  return db.prepare<[], { value: string }>("SELECT value FROM settings WHERE key = 'salt'").get()!.value;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The same formula as the ticket's `phone_hash`, so one phone matches across tables. */
export function hashPhone(salt: string, phone: string): string {
  return sha256(salt + phone);
}

/**
 * A keyed hash of an ID number: HMAC-SHA256 under the hall's salt of the upper-case number (the check
 * character may be `x` or `X`). The same formula as the ID card reader driver's `idHash`
 * (hardware/serial/id-reader/codec.ts), so a read summarised by the driver matches the BSS's index
 * when the driver is given the hall's salt. Keyed, because ID numbers are few enough to enumerate.
 */
export function hashIdNumber(salt: string, idNumber: string): string {
  return createHmac('sha256', salt).update(idNumber.trim().toUpperCase()).digest('hex');
}

/** A keyed hash for short secrets (one-time codes): useless without the salt. */
export function hmac(salt: string, text: string): string {
  return createHmac('sha256', salt).update(text).digest('hex');
}

/** 13812345678 → 138****5678 (the same rule as tickets). */
export function maskPhone(phone: string): string {
  if (phone.length <= 7) return `${phone.slice(0, 1)}***${phone.slice(-2)}`;
  return `${phone.slice(0, 3)}****${phone.slice(-4)}`;
}

/** 110101199001011234 → 1101**********1234. */
export function maskIdNumber(idNumber: string): string {
  const n = idNumber.trim().toUpperCase();
  if (n.length <= 8) return `${n.slice(0, 1)}${'*'.repeat(Math.max(n.length - 2, 1))}${n.slice(-1)}`;
  return `${n.slice(0, 4)}${'*'.repeat(n.length - 8)}${n.slice(-4)}`;
}

/** 张伟 → 张*, 欧阳娜娜 → 欧***, Zhang Wei → Z*** Wei, Wei → W***. */
export function maskName(name: string): string {
  const trimmed = name.trim().replace(/\s+/g, ' ');
  if (trimmed === '') return '*';
  const chars = Array.from(trimmed);
  if (!trimmed.includes(' ')) {
    if (/^[\p{Script=Han}·]+$/u.test(trimmed)) return chars[0] + '*'.repeat(Math.max(chars.length - 1, 1));
    return `${chars[0]}***`;
  }
  const words = trimmed.split(' ');
  return `${Array.from(words[0]!)[0]}*** ${words.slice(1).join(' ')}`;
}

/** Age in whole years on the local day `today` (YYYY-MM-DD), from a birth date (YYYY-MM-DD). */
export function ageOn(birthDate: string, today: string): number {
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ty, tm, td] = today.split('-').map(Number) as [number, number, number];
  return ty - by - (tm < bm || (tm === bm && td < bd) ? 1 : 0);
}
