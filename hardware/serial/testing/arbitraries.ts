import fc from 'fast-check';
import { type LineCodec, parseLine } from '../line-protocol.ts';

/**
 * Test support for codec property tests: lines that are mostly near-misses of real ones (a known verb
 * with odd arguments), plus arbitrary text, so fast-check reaches the decoders' argument checks.
 */
export function protocolLines(verbs: readonly string[]): fc.Arbitrary<string> {
  const word = fc.oneof(
    fc.string({ maxLength: 12 }),
    fc.stringMatching(/^[A-Za-z0-9=*-]{0,12}$/),
    fc.integer().map(String),
  );
  const nearMiss = fc
    .tuple(
      fc.integer({ min: -1, max: 300 }),
      fc.constantFrom(...verbs, 'ACK', 'NAK'),
      fc.array(word, { maxLength: 5 }),
    )
    .map(([seq, verb, args]) => [String(seq), verb, ...args].join(' '));
  return fc.oneof(nearMiss, fc.string(), fc.string({ unit: 'binary' }));
}

/** Decodes whatever a line parses to; a decoder that throws fails the property. */
export function decodeAny<T>(codec: LineCodec<T>, line: string): void {
  const parsed = parseLine(line);
  if (parsed.ok) codec.decode(parsed.message);
}
