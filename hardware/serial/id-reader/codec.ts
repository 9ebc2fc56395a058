import { createHmac } from 'node:crypto';
import type { Discard, Framer } from '../framer.ts';

/**
 * The 二代证 (second-generation ID card) SAM module protocol (PROTOCOLS.md §2): frames of a preamble, a
 * big-endian length of everything after it, a body, and an XOR checksum of every byte after the preamble.
 */
export const PREAMBLE = Uint8Array.of(0xaa, 0xaa, 0xaa, 0x96, 0x69);

/** Request CMD and PARA bytes. */
export const SAM_REQUESTS = {
  find: [0x20, 0x01],
  select: [0x20, 0x02],
  read: [0x30, 0x01],
  status: [0x11, 0xff],
} as const satisfies Record<string, readonly [number, number]>;
export type SamRequestName = keyof typeof SAM_REQUESTS;

/** SW3 status bytes of replies. */
export const SW3 = {
  ok: 0x90,
  cardFound: 0x9f,
  noCard: 0x80,
  selectFailed: 0x81,
  readFailed: 0x41,
  badChecksum: 0x10,
  badLength: 0x11,
  unknownCommand: 0x21,
} as const;

/** A body length beyond the longest reply (text + photo read, 1288 bytes) is noise, not a frame. */
const MAX_LENGTH = 0x0600;

/** A frame without its preamble and length: the body, and whether its checksum was right. */
export type SamFrame = { body: Uint8Array; checksumOk: boolean };

export function encodeFrame(body: Uint8Array): Uint8Array {
  const length = body.length + 1;
  const frame = new Uint8Array(PREAMBLE.length + 2 + length);
  frame.set(PREAMBLE);
  frame[5] = length >> 8;
  frame[6] = length & 0xff;
  frame.set(body, 7);
  let sum = 0;
  for (let i = 5; i < frame.length - 1; i += 1) sum ^= frame[i]!;
  frame[frame.length - 1] = sum;
  return frame;
}

export function encodeRequest(name: SamRequestName): Uint8Array {
  return encodeFrame(Uint8Array.from(SAM_REQUESTS[name]));
}

/** SW1 and SW2 are 00 in every reply PROTOCOLS.md lists. */
export function encodeResponse(sw3: number, data: Uint8Array = new Uint8Array(0)): Uint8Array {
  const body = new Uint8Array(3 + data.length);
  body[2] = sw3;
  body.set(data, 3);
  return encodeFrame(body);
}

/** The request a frame carries, or the SW3 a reader refuses it with (checksum, command, length). */
export function readRequest(
  frame: SamFrame,
): { ok: true; name: SamRequestName } | { ok: false; sw3: number } {
  if (!frame.checksumOk) return { ok: false, sw3: SW3.badChecksum };
  const [command, parameter] = frame.body;
  const entry = Object.entries(SAM_REQUESTS).find(
    ([, bytes]) => bytes[0] === command && bytes[1] === parameter,
  );
  if (!entry) return { ok: false, sw3: SW3.unknownCommand };
  if (frame.body.length !== 2) return { ok: false, sw3: SW3.badLength };
  return { ok: true, name: entry[0] as SamRequestName };
}

export function responseOf(frame: SamFrame): { sw3: number; data: Uint8Array } | null {
  return frame.body.length >= 3 ? { sw3: frame.body[2]!, data: frame.body.subarray(3) } : null;
}

/**
 * Finds frames in the byte stream. Our own because serialport's PacketLengthParser reads little-endian
 * lengths. Bytes before a preamble, and a preamble with an impossible length, are discarded.
 */
export function samFramer(): Framer<SamFrame> {
  let pending = Buffer.alloc(0);
  return {
    push(chunk) {
      const frames: SamFrame[] = [];
      const discarded: Discard[] = [];
      let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
      for (;;) {
        const start = data.indexOf(PREAMBLE);
        if (start === -1) {
          // Keep a tail that may be the start of a preamble split across chunks.
          const keep = preamblePrefixAtEnd(data);
          if (data.length - keep > 0)
            discarded.push({ reason: 'bytes outside a frame', bytes: data.length - keep });
          data = data.subarray(data.length - keep);
          break;
        }
        if (start > 0) discarded.push({ reason: 'bytes outside a frame', bytes: start });
        data = data.subarray(start);
        if (data.length < 7) break;
        const length = (data[5]! << 8) | data[6]!;
        if (length < 2 || length > MAX_LENGTH) {
          discarded.push({ reason: `impossible frame length ${length}`, bytes: PREAMBLE.length });
          data = data.subarray(PREAMBLE.length);
          continue;
        }
        if (data.length < 7 + length) break;
        let sum = 0;
        for (let i = 5; i < 6 + length; i += 1) sum ^= data[i]!;
        frames.push({
          body: Uint8Array.from(data.subarray(7, 6 + length)),
          checksumOk: sum === data[6 + length],
        });
        data = data.subarray(7 + length);
      }
      pending = Buffer.from(data);
      return { frames, discarded };
    },
    reset() {
      const discarded =
        pending.length > 0 ? [{ reason: 'partial frame at disconnect', bytes: pending.length }] : [];
      pending = Buffer.alloc(0);
      return { discarded };
    },
  };
}

function preamblePrefixAtEnd(data: Buffer): number {
  for (let keep = Math.min(PREAMBLE.length - 1, data.length); keep > 0; keep -= 1) {
    if (data.subarray(data.length - keep).equals(PREAMBLE.subarray(0, keep))) return keep;
  }
  return 0;
}

/** The card's text fields, trimmed. Codes are kept as printed on the chip (GB/T 2261.1, GB 3304). */
export type IdCardText = {
  name: string;
  /** 1 male, 2 female, 0 unknown, 9 unspecified. */
  sexCode: string;
  /** Two digits, 01 = 汉. */
  ethnicityCode: string;
  /** YYYYMMDD. */
  birthDate: string;
  address: string;
  idNumber: string;
  issuer: string;
  validFrom: string;
  /** YYYYMMDD, or 长期 (no expiry). */
  validTo: string;
};

/** Field widths in UCS-2 characters, in chip order; 18 reserved characters end the 256 bytes. */
const FIELDS: readonly [keyof IdCardText, number][] = [
  ['name', 15],
  ['sexCode', 1],
  ['ethnicityCode', 2],
  ['birthDate', 8],
  ['address', 35],
  ['idNumber', 18],
  ['issuer', 15],
  ['validFrom', 8],
  ['validTo', 8],
];
export const TEXT_BYTES = 256;

export function encodeIdCardText(card: IdCardText): Uint8Array {
  const bytes = Buffer.alloc(TEXT_BYTES);
  // Unused characters are spaces (0x0020), as on real cards.
  for (let i = 0; i < TEXT_BYTES; i += 2) bytes.writeUInt16LE(0x20, i);
  let offset = 0;
  for (const [field, width] of FIELDS) {
    const units = Buffer.from(card[field].slice(0, width), 'utf16le');
    units.copy(bytes, offset);
    offset += width * 2;
  }
  return bytes;
}

export type ParsedIdCard = { ok: true; card: IdCardText } | { ok: false; reason: string };

export function parseIdCardText(bytes: Uint8Array): ParsedIdCard {
  if (bytes.length !== TEXT_BYTES)
    return { ok: false, reason: `card text is ${bytes.length} bytes, not 256` };
  const text = Buffer.from(bytes).toString('utf16le');
  const card = {} as IdCardText;
  let offset = 0;
  for (const [field, width] of FIELDS) {
    card[field] = text.slice(offset, offset + width).trim();
    offset += width;
  }
  if (!/^\d{17}[\dX]$/.test(card.idNumber))
    return { ok: false, reason: 'ID number is not 18 characters of digits and X' };
  if (parseBirthDate(card.birthDate) === null) return { ok: false, reason: 'birth date is not a date' };
  if (card.name === '') return { ok: false, reason: 'no name' };
  return { ok: true, card };
}

/** The read reply's data: text and photo lengths (2 bytes each, big-endian), the text, the photo. */
export function splitReadData(data: Uint8Array): { text: Uint8Array; photoBytes: number } | null {
  if (data.length < 4) return null;
  const textLength = (data[0]! << 8) | data[1]!;
  const photoLength = (data[2]! << 8) | data[3]!;
  if (textLength !== TEXT_BYTES || data.length !== 4 + textLength + photoLength) return null;
  // The photo (WLT, needs the vendor's licensed decoder) is deliberately not returned: never stored.
  return { text: data.subarray(4, 4 + textLength), photoBytes: photoLength };
}

type CalendarDate = { year: number; month: number; day: number };

function parseBirthDate(text: string): CalendarDate | null {
  const match = /^(\d{4})(\d{2})(\d{2})$/.exec(text);
  if (!match) return null;
  const [year, month, day] = [Number(match[1]), Number(match[2]), Number(match[3])];
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day)
    return null;
  return { year, month, day };
}

/** Completed years on `today`; someone born on 29 February turns a year older on 1 March. */
export function ageOn(birthDate: string, today: CalendarDate): number | null {
  const born = parseBirthDate(birthDate);
  if (!born) return null;
  const hadBirthday = today.month > born.month || (today.month === born.month && today.day >= born.day);
  return today.year - born.year - (hadBirthday ? 0 : 1);
}

/** 110101199003071234 → 110***********1234: enough for a person to recognise their own card. */
export function maskIdNumber(idNumber: string): string {
  return `${idNumber.slice(0, 3)}${'*'.repeat(Math.max(0, idNumber.length - 7))}${idNumber.slice(-4)}`;
}

/**
 * A keyed hash (HMAC-SHA256 with the hall's secret salt) of the ID number: lets HallQ recognise the same
 * card again without storing the number. A bare hash would not do: 18-digit ID numbers with a checksum
 * and a birth date inside are few enough to enumerate.
 */
export function hashIdNumber(idNumber: string, salt: string): string {
  return createHmac('sha256', salt).update(idNumber.toUpperCase()).digest('hex');
}
