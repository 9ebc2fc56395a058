import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  ageOn,
  encodeIdCardText,
  encodeRequest,
  encodeResponse,
  hashIdNumber,
  type IdCardText,
  maskIdNumber,
  parseIdCardText,
  readRequest,
  responseOf,
  samFramer,
  splitReadData,
} from './codec.ts';

const hex = (text: string) => Uint8Array.from(text.split(' ').map((b) => Number.parseInt(b, 16)));

const card: IdCardText = {
  name: '龚䶮',
  sexCode: '1',
  ethnicityCode: '01',
  birthDate: '19920229',
  address: '广东省深圳市福田区福华一路1号',
  idNumber: '44030619920229069X',
  issuer: '深圳市公安局福田分局',
  validFrom: '20200101',
  validTo: '20400101',
};

describe('SAM frames', () => {
  it('encodes the requests exactly as PROTOCOLS.md lists them', () => {
    expect(encodeRequest('find')).toEqual(hex('aa aa aa 96 69 00 03 20 01 22'));
    expect(encodeRequest('select')).toEqual(hex('aa aa aa 96 69 00 03 20 02 21'));
    expect(encodeRequest('read')).toEqual(hex('aa aa aa 96 69 00 03 30 01 32'));
    expect(encodeRequest('status')).toEqual(hex('aa aa aa 96 69 00 03 11 ff ed'));
  });

  it('reads the documented find reply, and finds frames among noise and across chunks', () => {
    const framer = samFramer();
    const reply = hex('aa aa aa 96 69 00 08 00 00 9f 00 00 00 00 97');
    const first = framer.push(Uint8Array.of(0x00, 0xaa, ...reply.subarray(0, 6)));
    expect(first.frames).toEqual([]);
    expect(first.discarded).toEqual([{ reason: 'bytes outside a frame', bytes: 2 }]);
    const [frame] = framer.push(reply.subarray(6)).frames;
    expect(frame?.checksumOk).toBe(true);
    expect(responseOf(frame!)).toEqual({ sw3: 0x9f, data: new Uint8Array(4) });
  });

  it('marks a frame with a wrong checksum, and skips a preamble with an impossible length', () => {
    const framer = samFramer();
    const out = framer.push(hex('aa aa aa 96 69 ff ff aa aa aa 96 69 00 03 20 01 23'));
    expect(out.discarded).toContainEqual({ reason: 'impossible frame length 65535', bytes: 5 });
    expect(out.frames).toEqual([{ body: Uint8Array.of(0x20, 0x01), checksumOk: false }]);
    const tooShort = framer.push(hex('aa aa aa 96 69 00 01 01 aa aa aa 96 69 00 04 00 00 80 84'));
    expect(tooShort.discarded).toContainEqual({ reason: 'impossible frame length 1', bytes: 5 });
    expect(tooShort.frames.map((f) => f.checksumOk)).toEqual([true]);
  });

  it('gives the same frames however the stream is split, and never throws on any bytes', () => {
    const frames = [encodeRequest('find'), encodeResponse(0x90, new Uint8Array(300).fill(7))];
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.nat(400), (noise, cut) => {
        const stream = Buffer.concat([noise, frames[0]!, noise, frames[1]!]);
        const at = cut % (stream.length + 1);
        const framer = samFramer();
        const got = [
          ...framer.push(stream.subarray(0, at)).frames,
          ...framer.push(stream.subarray(at)).frames,
        ];
        const valid = got.filter((f) => f.checksumOk).map((f) => [...f.body]);
        expect(valid.slice(-2)).toEqual(frames.map((f) => [...f.subarray(7, -1)]));
      }),
    );
    fc.assert(
      fc.property(fc.array(fc.uint8Array({ maxLength: 64 }), { maxLength: 8 }), (chunks) => {
        const framer = samFramer();
        for (const chunk of chunks) for (const frame of framer.push(chunk).frames) responseOf(frame);
      }),
    );
  });
});

/** Frames as PROTOCOLS.md §2 writes them, read back through the framer. */
const framesOf = (text: string) => samFramer().push(hex(text)).frames;

describe('known answers from PROTOCOLS.md §2', () => {
  it('encodes every reply the document lists, byte for byte', () => {
    expect(encodeResponse(0x90)).toEqual(hex('aa aa aa 96 69 00 04 00 00 90 94'));
    expect(encodeResponse(0x9f, new Uint8Array(4))).toEqual(
      hex('aa aa aa 96 69 00 08 00 00 9f 00 00 00 00 97'),
    );
    expect(encodeResponse(0x90, hex('01 02 03 04 05 06 07 08'))).toEqual(
      hex('aa aa aa 96 69 00 0c 00 00 90 01 02 03 04 05 06 07 08 94'),
    );
    const errors: [number, string][] = [
      [0x80, '84'],
      [0x81, '85'],
      [0x41, '45'],
      [0x10, '14'],
      [0x11, '15'],
      [0x21, '25'],
    ];
    for (const [sw3, sum] of errors) {
      const byte = sw3.toString(16).padStart(2, '0');
      expect(encodeResponse(sw3)).toEqual(hex(`aa aa aa 96 69 00 04 00 00 ${byte} ${sum}`));
    }
  });

  it('reads each request, and refuses a wrong checksum, an unknown command and a wrong length', () => {
    const request = (text: string) => framesOf(text).map(readRequest);
    expect(request('aa aa aa 96 69 00 03 20 01 22')).toEqual([{ ok: true, name: 'find' }]);
    expect(request('aa aa aa 96 69 00 03 20 02 21')).toEqual([{ ok: true, name: 'select' }]);
    expect(request('aa aa aa 96 69 00 03 30 01 32')).toEqual([{ ok: true, name: 'read' }]);
    expect(request('aa aa aa 96 69 00 03 11 ff ed')).toEqual([{ ok: true, name: 'status' }]);
    expect(request('aa aa aa 96 69 00 03 20 01 23')).toEqual([{ ok: false, sw3: 0x10 }]);
    expect(request('aa aa aa 96 69 00 03 20 09 2a')).toEqual([{ ok: false, sw3: 0x21 }]);
    expect(request('aa aa aa 96 69 00 04 20 01 00 25')).toEqual([{ ok: false, sw3: 0x11 }]);
  });

  it('reads the error replies as their SW3 with no data', () => {
    const [noCard] = framesOf('aa aa aa 96 69 00 04 00 00 80 84');
    expect(noCard).toMatchObject({ checksumOk: true });
    expect(responseOf(noCard!)).toEqual({ sw3: 0x80, data: new Uint8Array(0) });
    const [selected] = framesOf('aa aa aa 96 69 00 0c 00 00 90 01 02 03 04 05 06 07 08 94');
    expect(responseOf(selected!)).toEqual({ sw3: 0x90, data: hex('01 02 03 04 05 06 07 08') });
  });

  it('reads a whole card from the read reply, and refuses it with a wrong checksum', () => {
    // The text of PROTOCOLS.md's field table, UCS-2 little-endian, each field padded with spaces.
    const fields: [string, number][] = [
      ['张晓燕', 15],
      ['2', 1],
      ['01', 2],
      ['19560312', 8],
      ['北京市西城区西单北大街120号', 35],
      ['110102195603120025', 18],
      ['北京市公安局西城分局', 15],
      ['20160101', 8],
      ['长期', 8],
      ['', 18],
    ];
    const text = Buffer.from(fields.map(([value, width]) => value.padEnd(width, ' ')).join(''), 'utf16le');
    const reply = (checksum: number) =>
      Uint8Array.of(
        ...hex('aa aa aa 96 69 05 08 00 00 90 01 00 04 00'),
        ...text,
        ...new Uint8Array(1024).fill(0x57),
        checksum,
      );
    const [frame] = samFramer().push(reply(0xa6)).frames;
    expect(frame?.checksumOk).toBe(true);
    const response = responseOf(frame!)!;
    expect(response.sw3).toBe(0x90);
    const parts = splitReadData(response.data)!;
    expect(parts.photoBytes).toBe(1024);
    expect(parseIdCardText(parts.text)).toEqual({
      ok: true,
      card: {
        name: '张晓燕',
        sexCode: '2',
        ethnicityCode: '01',
        birthDate: '19560312',
        address: '北京市西城区西单北大街120号',
        idNumber: '110102195603120025',
        issuer: '北京市公安局西城分局',
        validFrom: '20160101',
        validTo: '长期',
      },
    });
    expect(samFramer().push(reply(0xa7)).frames[0]?.checksumOk).toBe(false);
  });
});

describe('card text', () => {
  it('round-trips the 256-byte UCS-2 text, a rare name character included', () => {
    const bytes = encodeIdCardText(card);
    expect(bytes).toHaveLength(256);
    expect(parseIdCardText(bytes)).toEqual({ ok: true, card });
    expect(parseIdCardText(encodeIdCardText({ ...card, validTo: '长期' }))).toMatchObject({
      ok: true,
      card: { validTo: '长期' },
    });
  });

  it('refuses text that is not a plausible card, and never throws on any bytes', () => {
    expect(parseIdCardText(new Uint8Array(255))).toMatchObject({ ok: false });
    expect(parseIdCardText(encodeIdCardText({ ...card, idNumber: '4403061990' }))).toMatchObject({
      ok: false,
    });
    expect(parseIdCardText(encodeIdCardText({ ...card, birthDate: '19900229' }))).toMatchObject({
      ok: false,
    });
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 256, maxLength: 256 }), (bytes) => void parseIdCardText(bytes)),
    );
    fc.assert(fc.property(fc.uint8Array({ maxLength: 1400 }), (bytes) => void splitReadData(bytes)));
  });

  it('splits the read reply into text and an opaque photo it does not return', () => {
    const data = new Uint8Array(4 + 256 + 1024);
    data.set([0x01, 0x00, 0x04, 0x00]);
    data.set(encodeIdCardText(card), 4);
    const parts = splitReadData(data);
    expect(Object.keys(parts!)).toEqual(['text', 'photoBytes']);
    expect(parts!.photoBytes).toBe(1024);
    expect(parseIdCardText(parts!.text)).toEqual({ ok: true, card });
    expect(splitReadData(data.subarray(0, 1000))).toBeNull();
  });
});

describe('minimised data', () => {
  it('counts completed years, a 29 February birthday included', () => {
    expect(ageOn('19920229', { year: 2026, month: 2, day: 28 })).toBe(33);
    expect(ageOn('19920229', { year: 2026, month: 3, day: 1 })).toBe(34);
    expect(ageOn('19560312', { year: 2026, month: 3, day: 12 })).toBe(70);
    expect(ageOn('19560312', { year: 2026, month: 3, day: 11 })).toBe(69);
    expect(ageOn('1956-03-12', { year: 2026, month: 3, day: 11 })).toBeNull();
  });

  it('masks the ID number and hashes it with the salt', () => {
    expect(maskIdNumber('110101199003071234')).toBe('110***********1234');
    const hash = hashIdNumber('44030619920229069x', 'hall-secret');
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(hash).toBe(hashIdNumber('44030619920229069X', 'hall-secret'));
    expect(hash).not.toBe(hashIdNumber('44030619920229069X', 'other-hall'));
  });
});
