import fc from 'fast-check';
import { describe, expect, it, vi } from 'vitest';
import {
  formatLine,
  type LineCodec,
  LineEndpoint,
  type LineEndpointOptions,
  NAK,
  parseLine,
} from './line-protocol.ts';

describe('checksums: known answers from PROTOCOLS.md §3', () => {
  // Each line with the checksum the document works out for it: the XOR of its UTF-8 bytes.
  const worked: [seq: number, verb: string, args: string[], wire: string][] = [
    [0, 'NEXT', [], '0 NEXT*17\r\n'],
    [6, 'XFER', ['B'], '6 XFER B*7D\r\n'],
    [7, 'SHOW', ['A012', '等候', '4'], '7 SHOW A012 等候 4*4D\r\n'],
    [7, 'ACK', [], '7 ACK*5E\r\n'],
    [8, 'NAK', ['BAD-CHECKSUM'], '8 NAK BAD-CHECKSUM*1B\r\n'],
    [12, 'NAK', ['UNKNOWN-VERB'], '12 NAK UNKNOWN-VERB*21\r\n'],
    [255, 'NEXT', [], '255 NEXT*15\r\n'],
  ];

  it.each(worked)('formats %i %s with the checksum the document gives', (seq, verb, args, wire) => {
    expect(formatLine(seq, verb, args, true)).toBe(wire);
  });

  it.each(worked)('reads %i %s back, with the checksum in either case', (seq, verb, args, wire) => {
    const line = wire.trimEnd();
    const message = { seq, verb, args, text: args.join(' ') };
    expect(parseLine(line)).toEqual({ ok: true, message });
    expect(parseLine(line.replace(/\*(..)$/, (_, hh: string) => `*${hh.toLowerCase()}`))).toEqual({
      ok: true,
      message,
    });
  });

  it('refuses a checksum off by one bit, and a line with no readable SEQ', () => {
    expect(parseLine('0 NEXT*16')).toMatchObject({ ok: false, seq: 0, code: 'BAD-CHECKSUM' });
    expect(parseLine('6 XFER B*7C')).toMatchObject({ ok: false, seq: 6, code: 'BAD-CHECKSUM' });
    expect(parseLine('300 NEXT')).toMatchObject({ ok: false, seq: null });
    expect(parseLine('NEXT*17')).toMatchObject({ ok: false, seq: null });
  });
});

describe('parseLine and formatLine', () => {
  it('reads SEQ, verb, arguments and the whole text, with or without a checksum', () => {
    expect(parseLine('12 SHOW A001  请到 3 号窗口')).toEqual({
      ok: true,
      message: {
        seq: 12,
        verb: 'SHOW',
        args: ['A001', '', '请到', '3', '号窗口'],
        text: 'A001  请到 3 号窗口',
      },
    });
    expect(parseLine('6 XFER B*7D')).toMatchObject({
      ok: true,
      message: { seq: 6, verb: 'XFER', args: ['B'] },
    });
    expect(formatLine(0, 'NEXT', [], false)).toBe('0 NEXT\r\n');
  });

  it('names the SEQ of a line with a wrong checksum so it can be NAKed', () => {
    expect(parseLine('9 NEXT*00')).toMatchObject({ ok: false, seq: 9, code: NAK.badChecksum });
    expect(parseLine('9 NEXT*1E')).toMatchObject({ ok: true, message: { seq: 9, verb: 'NEXT' } });
    expect(parseLine('NEXT')).toMatchObject({ ok: false, seq: null, code: NAK.badSyntax });
    expect(parseLine('256 NEXT')).toMatchObject({ ok: false, seq: null, code: NAK.badSyntax });
    expect(parseLine('4 next')).toMatchObject({ ok: false, seq: 4, code: NAK.badSyntax });
  });

  it('adds a checksum when the text itself ends like one, so it is not misread', () => {
    const line = formatLine(3, 'SHOW', ['A*12'], false);
    expect(line).toBe('3 SHOW A*12*58\r\n');
    expect(parseLine(line.trimEnd())).toMatchObject({ ok: true, message: { text: 'A*12' } });
  });

  it('refuses to format a line break inside a line', () => {
    expect(() => formatLine(1, 'SHOW', ['a\r\n2 NEXT'], true)).toThrow(RangeError);
  });

  it('never throws on any input, and round-trips what it formats', () => {
    fc.assert(fc.property(fc.string(), (text) => void parseLine(text)));
    const word = fc.stringMatching(/^[^\s*\r\n]{1,12}$/);
    fc.assert(
      fc.property(fc.nat(255), fc.array(word, { maxLength: 4 }), fc.boolean(), (seq, args, checksum) => {
        const parsed = parseLine(formatLine(seq, 'VERB', args, checksum).trimEnd());
        expect(parsed).toEqual({ ok: true, message: { seq, verb: 'VERB', args, text: args.join(' ') } });
      }),
    );
  });
});

type Word = { word: string };
const words: LineCodec<Word> = {
  decode: (message) =>
    message.verb !== 'SAY'
      ? { ok: false, code: NAK.unknownVerb, detail: message.verb }
      : message.args.length === 1
        ? { ok: true, value: { word: message.args[0]! } }
        : { ok: false, code: NAK.badArgs, detail: message.text },
  encode: ({ word }) => ({ verb: 'SAY', args: [word] }),
};

/** Two endpoints wired back to back; `drop` decides which lines from A get lost on the way to B. */
function pair(
  options: Partial<LineEndpointOptions<Word, Word>> = {},
  drop: (line: string) => boolean = () => false,
) {
  const loggerA = { warn: vi.fn() };
  const loggerB = { warn: vi.fn() };
  const toB: string[] = [];
  const toA: string[] = [];
  let a: LineEndpoint<Word, Word>;
  let b: LineEndpoint<Word, Word>;
  const base = { incoming: words, outgoing: words, retryDelayMs: 30, ...options };
  a = new LineEndpoint({
    ...base,
    name: 'a',
    logger: loggerA,
    write: async (line) => {
      toB.push(line.trimEnd());
      if (!drop(line)) setImmediate(() => b.receive(line.trimEnd()));
    },
  });
  b = new LineEndpoint({
    ...base,
    name: 'b',
    logger: loggerB,
    write: async (line) => {
      toA.push(line.trimEnd());
      setImmediate(() => a.receive(line.trimEnd()));
    },
  });
  const heardByB: string[] = [];
  b.onMessage(({ word }) => heardByB.push(word));
  return { a, b, toB, toA, heardByB, loggerA, loggerB };
}

describe('LineEndpoint', () => {
  it('delivers a value and resolves on the ACK with the same SEQ', async () => {
    const { a, heardByB, toA } = pair({ checksum: false });
    await a.send({ word: 'hello' });
    await a.send({ word: 'again' });
    expect(heardByB).toEqual(['hello', 'again']);
    expect(toA).toEqual(['0 ACK', '1 ACK']);
  });

  it('sends again after silence, and the receiver acts once on the repeated line', async () => {
    let dropped = 0;
    const { a, heardByB, toB } = pair({}, () => dropped++ < 2);
    await a.send({ word: 'once' });
    expect(toB).toHaveLength(3);
    expect(new Set(toB).size).toBe(1); // the same line, same SEQ
    expect(heardByB).toEqual(['once']);
  });

  it('delivers a retransmission once even when only the ACK was lost', async () => {
    const { a, b, heardByB } = pair();
    b.receive(formatLine(5, 'SAY', ['x'], true).trimEnd());
    b.receive(formatLine(5, 'SAY', ['x'], true).trimEnd());
    await a.send({ word: 'y' });
    expect(heardByB).toEqual(['x', 'y']);
  });

  it('gives up after the configured retries with a timeout error', async () => {
    const { a, toB } = pair({ maxRetries: 2 }, () => true);
    await expect(a.send({ word: 'lost' })).rejects.toMatchObject({ timeout: true, nak: null });
    expect(toB).toHaveLength(3);
  });

  it('answers every line with its own SEQ, checksummed, as the document writes the answers', async () => {
    const { b, toA } = pair();
    b.receive('9 NEXT*00');
    b.receive('7 SAY hi');
    b.receive('4 say hi');
    await new Promise((resolve) => setImmediate(resolve));
    expect(toA).toEqual(['9 NAK BAD-CHECKSUM*1A', '7 ACK*5E', '4 NAK BAD-SYNTAX*13']);
  });

  it('answers unknown verbs, bad arguments and bad checksums with NAK codes, and warns', async () => {
    const { b, toA, heardByB, loggerB } = pair({ checksum: false });
    b.receive('1 SING la');
    b.receive('2 SAY two words');
    b.receive('3 SAY x*FF'); // the right checksum is 00
    b.receive('garbage \u0001');
    await new Promise((resolve) => setImmediate(resolve));
    expect(toA).toEqual(['1 NAK UNKNOWN-VERB', '2 NAK BAD-ARGS', '3 NAK BAD-CHECKSUM']);
    expect(heardByB).toEqual([]);
    expect(loggerB.warn).toHaveBeenCalledTimes(4);
  });

  it('rejects with the NAK code when the device refuses, without retrying', async () => {
    const { a, toB } = pair({ screen: () => ({ nak: 'BUSY' }) });
    await expect(a.send({ word: 'w' })).rejects.toMatchObject({ nak: 'BUSY' });
    expect(toB).toHaveLength(1);
  });

  it('drops a reply whose SEQ matches nothing, with a warning', () => {
    const { a, loggerA } = pair();
    a.receive('77 ACK');
    expect(loggerA.warn).toHaveBeenCalledWith(
      'line protocol: reply with no matching SEQ dropped',
      expect.objectContaining({ line: '77 ACK' }),
    );
  });

  it('fails a send cut off by close as disconnected', async () => {
    const { a } = pair({}, () => true);
    const sending = a.send({ word: 'w' });
    a.close();
    await expect(sending).rejects.toMatchObject({ disconnected: true });
  });
});
