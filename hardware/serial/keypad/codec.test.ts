import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseLine } from '../line-protocol.ts';
import { decodeAny, protocolLines } from '../testing/arbitraries.ts';
import { fromTheWire, onTheWire, overTheWire } from '../testing/wire.ts';
import { KEYPAD_KEYS, keypadPresses, keypadScreen } from './codec.ts';

const decode = (line: string) => {
  const parsed = parseLine(line);
  if (!parsed.ok) throw new Error(parsed.detail);
  return keypadPresses.decode(parsed.message);
};

describe('keypad codec: known answers from PROTOCOLS.md §3', () => {
  it('reads every key and a transfer exactly as the keypad sends them, checksum or not', () => {
    expect(fromTheWire(keypadPresses, '0 NEXT*17\r\n')).toEqual({ ok: true, value: { key: 'NEXT' } });
    expect(fromTheWire(keypadPresses, '1 RECALL*04\r\n')).toEqual({ ok: true, value: { key: 'RECALL' } });
    expect(fromTheWire(keypadPresses, '2 NOSHOW*10\r\n')).toEqual({ ok: true, value: { key: 'NOSHOW' } });
    expect(fromTheWire(keypadPresses, '3 FINISH*00\r\n')).toEqual({ ok: true, value: { key: 'FINISH' } });
    expect(fromTheWire(keypadPresses, '4 PAUSE*46\r\n')).toEqual({ ok: true, value: { key: 'PAUSE' } });
    expect(fromTheWire(keypadPresses, '5 RESUME*0C\r\n')).toEqual({ ok: true, value: { key: 'RESUME' } });
    expect(fromTheWire(keypadPresses, '6 XFER B*7D\r\n')).toEqual({
      ok: true,
      value: { key: 'XFER', servicePrefix: 'B' },
    });
    expect(fromTheWire(keypadPresses, '6 XFER B*7d\n')).toMatchObject({ ok: true });
    expect(fromTheWire(keypadPresses, '0 NEXT\r\n')).toEqual({ ok: true, value: { key: 'NEXT' } });
  });

  it('writes presses and screen text byte for byte as the document does', () => {
    expect(onTheWire(keypadPresses, 0, { key: 'NEXT' })).toBe('0 NEXT*17\r\n');
    expect(onTheWire(keypadPresses, 6, { key: 'XFER', servicePrefix: 'B' })).toBe('6 XFER B*7D\r\n');
    expect(onTheWire(keypadScreen, 7, { kind: 'show', text: 'A012 等候 4' })).toBe(
      '7 SHOW A012 等候 4*4D\r\n',
    );
    expect(fromTheWire(keypadScreen, '7 SHOW A012 等候 4*4D\r\n')).toEqual({
      ok: true,
      value: { kind: 'show', text: 'A012 等候 4' },
    });
  });

  it('refuses a wrong checksum, an unknown verb and wrong arguments with the documented codes', () => {
    expect(fromTheWire(keypadPresses, '0 NEXT*18\r\n')).toMatchObject({ ok: false, code: 'BAD-CHECKSUM' });
    expect(fromTheWire(keypadPresses, '12 DANCE\r\n')).toMatchObject({ ok: false, code: 'UNKNOWN-VERB' });
    expect(fromTheWire(keypadPresses, '13 XFER\r\n')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    expect(fromTheWire(keypadPresses, '1 NEXT now\r\n')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    expect(fromTheWire(keypadPresses, '4 next\r\n')).toMatchObject({ ok: false, code: 'BAD-SYNTAX' });
    expect(fromTheWire(keypadScreen, '8 SHOW\r\n')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    expect(fromTheWire(keypadScreen, '9 NEXT*1E\r\n')).toMatchObject({ ok: false, code: 'UNKNOWN-VERB' });
  });
});

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
