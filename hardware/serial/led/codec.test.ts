import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { noVerbs } from '../codecs.ts';
import { parseLine } from '../line-protocol.ts';
import { decodeAny, protocolLines } from '../testing/arbitraries.ts';
import { fromTheWire, onTheWire, overTheWire } from '../testing/wire.ts';
import { type LedCommand, ledCommands } from './codec.ts';

const decode = (line: string) => {
  const parsed = parseLine(line);
  if (!parsed.ok) throw new Error(parsed.detail);
  return ledCommands.decode(parsed.message);
};

describe('LED screen codec: known answers from PROTOCOLS.md §3', () => {
  it('writes SHOW, BLINK and CLEAR byte for byte as the document does', () => {
    expect(onTheWire(ledCommands, 10, { kind: 'show', text: '请 A001 到 3 号窗口' })).toBe(
      '10 SHOW 请 A001 到 3 号窗口*A2\r\n',
    );
    expect(onTheWire(ledCommands, 11, { kind: 'blink', seconds: 5 })).toBe('11 BLINK 5*77\r\n');
    expect(onTheWire(ledCommands, 12, { kind: 'clear' })).toBe('12 CLEAR*7A\r\n');
  });

  it('reads the same lines, as a screen would', () => {
    expect(fromTheWire(ledCommands, '10 SHOW 请 A001 到 3 号窗口*A2\r\n')).toEqual({
      ok: true,
      value: { kind: 'show', text: '请 A001 到 3 号窗口' },
    });
    expect(fromTheWire(ledCommands, '11 BLINK 5*77\r\n')).toEqual({
      ok: true,
      value: { kind: 'blink', seconds: 5 },
    });
    expect(fromTheWire(ledCommands, '12 CLEAR\r\n')).toEqual({ ok: true, value: { kind: 'clear' } });
  });

  it('refuses a wrong checksum, an unknown verb and arguments out of range with the documented codes', () => {
    expect(fromTheWire(ledCommands, '11 BLINK 5*76\r\n')).toMatchObject({ ok: false, code: 'BAD-CHECKSUM' });
    expect(fromTheWire(ledCommands, '1 BLINK 61\r\n')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    expect(fromTheWire(ledCommands, '1 BLINK 0\r\n')).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    expect(fromTheWire(ledCommands, `1 SHOW ${'字'.repeat(65)}\r\n`)).toMatchObject({
      ok: false,
      code: 'BAD-ARGS',
    });
    expect(fromTheWire(ledCommands, '1 NEXT\r\n')).toMatchObject({ ok: false, code: 'UNKNOWN-VERB' });
    // An LED screen has nothing to report: HallQ refuses whatever it sends.
    expect(fromTheWire(noVerbs, '3 NEXT\r\n')).toMatchObject({ ok: false, code: 'UNKNOWN-VERB' });
  });
});

describe('LED screen codec', () => {
  it('reads SHOW with its whole text, BLINK seconds and CLEAR', () => {
    expect(decode('3 SHOW 请 A001 到 3 号窗口')).toEqual({
      ok: true,
      value: { kind: 'show', text: '请 A001 到 3 号窗口' },
    });
    expect(decode('4 BLINK 5')).toEqual({ ok: true, value: { kind: 'blink', seconds: 5 } });
    expect(decode('5 CLEAR')).toEqual({ ok: true, value: { kind: 'clear' } });
  });

  it('refuses a blink out of range, arguments to CLEAR, an empty SHOW and other verbs', () => {
    for (const line of ['1 BLINK 0', '1 BLINK 61', '1 BLINK 2.5', '1 BLINK', '1 CLEAR now', '1 SHOW']) {
      expect(decode(line)).toMatchObject({ ok: false, code: 'BAD-ARGS' });
    }
    expect(decode('1 NEXT')).toMatchObject({ ok: false, code: 'UNKNOWN-VERB' });
    expect(decode(`1 SHOW ${'字'.repeat(65)}`)).toMatchObject({ ok: false, code: 'BAD-ARGS' });
  });

  it('keeps sent text within what the screen accepts', () => {
    const long = overTheWire(ledCommands, { kind: 'show', text: '字'.repeat(100) });
    expect(long).toEqual({ ok: true, value: { kind: 'show', text: '字'.repeat(64) } });
    expect(overTheWire(ledCommands, { kind: 'blink', seconds: 600 })).toEqual({
      ok: true,
      value: { kind: 'blink', seconds: 60 },
    });
  });

  it('round-trips every command, and no line makes either direction throw', () => {
    const command: fc.Arbitrary<LedCommand> = fc.oneof(
      fc
        .stringMatching(
          /^[A-Za-z0-9\u4e00-\u4e10]([A-Za-z0-9 \u4e00-\u4e10]{0,30}[A-Za-z0-9\u4e00-\u4e10])?$/,
        )
        .map((text) => ({ kind: 'show' as const, text: text.replace(/ +/g, ' ') })),
      fc.integer({ min: 1, max: 60 }).map((seconds) => ({ kind: 'blink' as const, seconds })),
      fc.constant({ kind: 'clear' as const }),
    );
    fc.assert(
      fc.property(command, (value) => {
        expect(overTheWire(ledCommands, value)).toEqual({ ok: true, value });
      }),
    );
    fc.assert(fc.property(protocolLines(['SHOW', 'BLINK', 'CLEAR']), (line) => decodeAny(ledCommands, line)));
    fc.assert(fc.property(protocolLines(['SHOW']), (line) => decodeAny(noVerbs, line)));
  });
});
