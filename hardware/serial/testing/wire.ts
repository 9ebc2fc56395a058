import { lineFramer } from '../framer.ts';
import { type Decoded, formatLine, type LineCodec, parseLine } from '../line-protocol.ts';

/**
 * Test support for the line-protocol codecs: a value as it goes onto the wire, a line as it comes off
 * it. Known-answer tests compare these with lines written out by hand from PROTOCOLS.md.
 */

/** The line HallQ (or a simulator) sends for `value` with this SEQ, checksum and CR LF included. */
export function onTheWire<T>(codec: LineCodec<T>, seq: number, value: T): string {
  const { verb, args } = codec.encode(value);
  return formatLine(seq, verb, args, true);
}

/** What the receiving end makes of these bytes: cut by the line framer, parsed, decoded. */
export function fromTheWire<T>(codec: LineCodec<T>, wire: string): Decoded<T> {
  const { frames, discarded } = lineFramer(256).push(Buffer.from(wire, 'utf8'));
  if (frames.length !== 1 || discarded.length > 0)
    throw new Error(`not one line: ${JSON.stringify(wire)} gave ${frames.length} lines`);
  const parsed = parseLine(frames[0]!);
  return parsed.ok ? codec.decode(parsed.message) : { ok: false, code: parsed.code, detail: parsed.detail };
}

/** What the other end gets for `value`: encoded, put on the wire, parsed and decoded again. */
export function overTheWire<T>(codec: LineCodec<T>, value: T): Decoded<T> {
  return fromTheWire(codec, onTheWire(codec, 42, value));
}
