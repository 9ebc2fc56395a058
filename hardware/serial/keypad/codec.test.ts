import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../line-protocol.ts';
import { decodeAny, overTheWire, protocolLines } from '../testing/arbitraries.ts';
import { KEYPAD_KEYS, keypadPresses, keypadScreen } from './codec.ts';

const decode = (line: string) => {
  const parsed = parseLine(line);
  if (!parsed.ok) throw new Error(parsed.detail);
  return keypadPresses.decode(parsed.message);
};

describe('keypad codec', () => {
  it('reads every key and a transfer with its service prefix', () => {
    for (const key of KEYPAD_KEYS) expect(decode(`1 ${key}`)).toEqual({ ok: true, value: { key } });
    expect(decode('2 XFER B')).toEqual({ ok: true, value: { key: 'XFER', servicePrefix: 'B' } });
  });

  it('refuses unknown verbs and wrong arguments with the matching NAK code', () => {
    expect(decode('1 CALL')).toMatchObject({ ok: false, code: 'UNKNOWN-VERB' });
    expect(decode('1 NEXT now')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    expect(decode('1 XFER')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    expect(decode('1 XFER A B')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    expect(decode('1 XFER 号')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
  });

  it('sends screen text as one clean line and refuses blank text', () => {
    expect(overTheWire(keypadScreen, { kind: 'show', text: ' A001\r\n  等候 3 ' })).toEqual({
      ok: true,
      value: { kind: 'show', text: 'A001 等候 3' },
    });
    expect(() => keypadScreen.encode({ kind: 'show', text: '\r\n' })).toThrow(RangeError);
  });

  it('round-trips every press and never throws on any line', () => {
    const press = fc.oneof(
      fc.constantFrom(...KEYPAD_KEYS).map((key) => ({ key })),
      fc
        .stringMatching(/^[A-Za-z0-9]{1,8}$/)
        .map((servicePrefix) => ({ key: 'XFER' as const, servicePrefix })),
    );
    fc.assert(
      fc.property(press, (value) => {
        expect(overTheWire(keypadPresses, value)).toEqual({ ok: true, value });
      }),
    );
    fc.assert(fc.property(protocolLines([...KEYPAD_KEYS, 'XFER']), (line) => decodeAny(keypadPresses, line)));
    fc.assert(fc.property(protocolLines(['SHOW']), (line) => decodeAny(keypadScreen, line)));
  });
});
