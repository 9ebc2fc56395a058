import { describe, expect, it } from 'vitest';
import {
  isStatusByte,
  OFFLINE_STATUS_REQUEST,
  PAPER_STATUS_REQUEST,
  statusBytesFor,
  statusFromBytes,
} from './status-bytes.ts';

// Known answers from PROTOCOLS.md §1: the DLE EOT requests and the reply bytes of each printer state.
describe('printer status bytes', () => {
  it('asks with DLE EOT 2 and DLE EOT 4', () => {
    expect([...OFFLINE_STATUS_REQUEST]).toEqual([0x10, 0x04, 0x02]);
    expect([...PAPER_STATUS_REQUEST]).toEqual([0x10, 0x04, 0x04]);
  });

  it.each([
    [0x12, 0x12, { paperOut: false, paperNearEnd: false, coverOpen: false, detail: 'ready' }],
    [0x16, 0x12, { paperOut: false, paperNearEnd: false, coverOpen: true, detail: 'cover open' }],
    [0x32, 0x7e, { paperOut: true, paperNearEnd: false, coverOpen: false, detail: 'paper out' }],
    [0x32, 0x12, { paperOut: true, paperNearEnd: false, coverOpen: false, detail: 'paper out' }],
    [0x12, 0x72, { paperOut: true, paperNearEnd: false, coverOpen: false, detail: 'paper out' }],
    [0x12, 0x1e, { paperOut: false, paperNearEnd: true, coverOpen: false, detail: 'paper near end' }],
  ])('reads %s and %s as the document says', (offline, paper, state) => {
    expect(statusFromBytes(offline, paper)).toEqual({ online: true, sensors: true, ...state });
  });

  it('answers, as the emulated printer, with the bytes the document gives', () => {
    const ready = { paperOut: false, paperNearEnd: false, coverOpen: false };
    expect(statusBytesFor(ready)).toEqual({ offline: 0x12, paper: 0x12 });
    expect(statusBytesFor({ ...ready, coverOpen: true })).toEqual({ offline: 0x16, paper: 0x12 });
    expect(statusBytesFor({ ...ready, paperOut: true })).toEqual({ offline: 0x32, paper: 0x7e });
    expect(statusBytesFor({ ...ready, paperNearEnd: true })).toEqual({ offline: 0x12, paper: 0x1e });
  });

  it('takes only bytes with bits 02 and 10 set and 01 and 80 clear as status replies', () => {
    for (const byte of [0x12, 0x16, 0x32, 0x1e, 0x7e]) expect(isStatusByte(byte)).toBe(true);
    for (const byte of [0x00, 0x10, 0x02, 0x13, 0x92, 0xff, 0x1d]) expect(isStatusByte(byte)).toBe(false);
  });
});
