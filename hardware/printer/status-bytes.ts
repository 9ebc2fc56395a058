import type { PrinterStatus } from './types.ts';

/** DLE EOT 2: offline cause (cover, paper-end stop). Answered in real time, even while printing. */
export const OFFLINE_STATUS_REQUEST = Uint8Array.of(0x10, 0x04, 0x02);
/** DLE EOT 4: roll paper sensors (near end, end). */
export const PAPER_STATUS_REQUEST = Uint8Array.of(0x10, 0x04, 0x04);

const COVER_OPEN = 0x04;
const STOPPED_ON_PAPER_END = 0x20;
const NEAR_END = 0x0c;
const PAPER_END = 0x60;

/** Epson status bytes have bits 1 and 4 set and bits 0 and 7 clear; anything else is not a reply. */
export function isStatusByte(byte: number): boolean {
  return (byte & 0x93) === 0x12;
}

export function statusFromBytes(offline: number, paper: number): PrinterStatus {
  const coverOpen = (offline & COVER_OPEN) !== 0;
  const paperOut = (offline & STOPPED_ON_PAPER_END) !== 0 || (paper & PAPER_END) !== 0;
  const paperNearEnd = !paperOut && (paper & NEAR_END) !== 0;
  const problems = [coverOpen && 'cover open', paperOut && 'paper out', paperNearEnd && 'paper near end'];
  return {
    online: true,
    paperOut,
    paperNearEnd,
    coverOpen,
    sensors: true,
    detail: problems.filter(Boolean).join(', ') || 'ready',
  };
}

/** The bytes a printer in this state answers: used by the emulator, the inverse of statusFromBytes. */
export function statusBytesFor(state: { paperOut: boolean; paperNearEnd: boolean; coverOpen: boolean }): {
  offline: number;
  paper: number;
} {
  return {
    offline: 0x12 | (state.coverOpen ? COVER_OPEN : 0) | (state.paperOut ? STOPPED_ON_PAPER_END : 0),
    paper: 0x12 | (state.paperNearEnd || state.paperOut ? NEAR_END : 0) | (state.paperOut ? PAPER_END : 0),
  };
}
