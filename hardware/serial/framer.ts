/** Bytes the framer threw away, and why: the link logs them as warnings. */
export type Discard = { reason: string; bytes: number };

/**
 * Cuts a byte stream into frames. Pure and incremental: `push` may get any split of the stream and
 * never throws; whatever cannot become a frame is reported as discarded.
 */
export interface Framer<F> {
  push(chunk: Uint8Array): { frames: F[]; discarded: Discard[] };
  /** Forgets a partial frame, e.g. after the cable was pulled halfway through one. */
  reset(): { discarded: Discard[] };
}

/**
 * Lines ending in LF (a CR before it is dropped), decoded as UTF-8. Empty lines are skipped. A line
 * longer than `maxBytes` is discarded whole, up to its LF, so a noisy line cannot grow memory.
 */
export function lineFramer(maxBytes: number): Framer<string> {
  let pending: Buffer = Buffer.alloc(0);
  let skipping = false; // inside an oversized line, already reported
  const utf8 = new TextDecoder('utf-8', { fatal: true });

  return {
    push(chunk) {
      const frames: string[] = [];
      const discarded: Discard[] = [];
      let data = pending.length > 0 ? Buffer.concat([pending, chunk]) : Buffer.from(chunk);
      for (let end = data.indexOf(0x0a); end !== -1; end = data.indexOf(0x0a)) {
        const line = data.subarray(0, end > 0 && data[end - 1] === 0x0d ? end - 1 : end);
        data = data.subarray(end + 1);
        if (skipping) {
          skipping = false;
        } else if (line.length > maxBytes) {
          discarded.push({ reason: `line longer than ${maxBytes} bytes`, bytes: line.length });
        } else if (line.length > 0) {
          try {
            frames.push(utf8.decode(line));
          } catch {
            discarded.push({ reason: 'line is not UTF-8', bytes: line.length });
          }
        }
      }
      if (data.length > maxBytes + 1) {
        if (!skipping) discarded.push({ reason: `line longer than ${maxBytes} bytes`, bytes: data.length });
        skipping = true;
        data = Buffer.alloc(0);
      }
      pending = Buffer.from(data);
      return { frames, discarded };
    },
    reset() {
      const discarded =
        pending.length > 0 ? [{ reason: 'partial line at disconnect', bytes: pending.length }] : [];
      pending = Buffer.alloc(0);
      skipping = false;
      return { discarded };
    },
  };
}
