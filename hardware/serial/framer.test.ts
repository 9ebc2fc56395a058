import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { lineFramer } from './framer.ts';

const bytes = (text: string) => Buffer.from(text, 'utf8');

describe('lineFramer', () => {
  it('cuts lines at LF, drops the CR and empty lines, and keeps a partial line for the next chunk', () => {
    const framer = lineFramer(64);
    expect(framer.push(bytes('1 NEXT\r\n\r\n2 SH')).frames).toEqual(['1 NEXT']);
    expect(framer.push(bytes('OW 请到3号窗口\n')).frames).toEqual(['2 SHOW 请到3号窗口']);
  });

  it('discards an oversized line whole, once, and recovers at the next LF', () => {
    const framer = lineFramer(8);
    const first = framer.push(bytes('1 SHOW 0123456789'));
    expect(first).toEqual({ frames: [], discarded: [{ reason: 'line longer than 8 bytes', bytes: 17 }] });
    expect(framer.push(bytes('abcdef')).discarded).toEqual([]);
    expect(framer.push(bytes('xyz\n3 ACK\n')).frames).toEqual(['3 ACK']);
  });

  it('discards a line that is not UTF-8', () => {
    const framer = lineFramer(64);
    const out = framer.push(Uint8Array.of(0x31, 0x20, 0xff, 0xfe, 0x0a, 0x32, 0x0a));
    expect(out).toEqual({ frames: ['2'], discarded: [{ reason: 'line is not UTF-8', bytes: 4 }] });
  });

  it('reports the partial line it forgets on reset', () => {
    const framer = lineFramer(64);
    framer.push(bytes('1 NE'));
    expect(framer.reset().discarded).toEqual([{ reason: 'partial line at disconnect', bytes: 4 }]);
    expect(framer.push(bytes('XT\n')).frames).toEqual(['XT']);
  });

  it('gives the same lines however the stream is split, and never throws', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat(300)), (stream, cuts) => {
        const whole = lineFramer(40).push(stream).frames;
        const framer = lineFramer(40);
        const points = [...new Set(cuts.map((c) => c % (stream.length + 1)))].sort((a, b) => a - b);
        const pieces = [0, ...points, stream.length].slice(1).map((end, i, all) => {
          const start = i === 0 ? 0 : all[i - 1]!;
          return stream.subarray(start, end);
        });
        const split = pieces.flatMap((piece) => framer.push(piece).frames);
        expect(split).toEqual(whole);
        for (const line of split) expect(Buffer.byteLength(line)).toBeLessThanOrEqual(40);
      }),
    );
  });
});
