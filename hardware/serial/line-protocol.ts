import { type Clock, errorMessage, type HardwareLogger, systemClock } from '../common.ts';
import { DeviceError } from './device-error.ts';

/**
 * HallQ's reference line protocol (PROTOCOLS.md §3): `<SEQ> <VERB> [ARGS…][*HH]\r\n`, every line
 * answered by `<SEQ> ACK` or `<SEQ> NAK <code>`. The checksum is the XOR of the line's UTF-8 bytes
 * before `*`.
 */

/** NAK codes HallQ sends; a device may send others, which are passed on as they are. */
export const NAK = {
  badChecksum: 'BAD-CHECKSUM',
  badSyntax: 'BAD-SYNTAX',
  unknownVerb: 'UNKNOWN-VERB',
  badArgs: 'BAD-ARGS',
} as const;

/** NAKs for a line garbled on the way, worth sending again; any other NAK is the device's answer. */
const TRANSMISSION_NAKS: readonly string[] = [NAK.badChecksum, NAK.badSyntax];

export type LineMessage = {
  seq: number;
  verb: string;
  /** The text after the verb split at single spaces; `text` keeps it whole (for SHOW). */
  args: string[];
  text: string;
};

export type ParsedLine =
  | { ok: true; message: LineMessage }
  | { ok: false; seq: number | null; code: string; detail: string };

const LINE = /^(\d{1,3}) ([A-Z][A-Z0-9_-]*)(?: (.*))?$/;
const CHECKSUM_SUFFIX = /\*([0-9A-Fa-f]{2})$/;

export function parseLine(line: string): ParsedLine {
  let body = line;
  const sum = CHECKSUM_SUFFIX.exec(line);
  if (sum) {
    body = line.slice(0, -3);
    if (xorChecksum(body) !== Number.parseInt(sum[1]!, 16)) {
      return {
        ok: false,
        seq: leadingSeq(body),
        code: NAK.badChecksum,
        detail: `checksum mismatch in ${line}`,
      };
    }
  }
  const match = LINE.exec(body);
  const seq = match ? Number(match[1]) : null;
  if (!match || seq === null || seq > 255) {
    return {
      ok: false,
      seq: leadingSeq(body),
      code: NAK.badSyntax,
      detail: `not "<SEQ> <VERB> [ARGS]": ${line}`,
    };
  }
  const text = match[3] ?? '';
  return { ok: true, message: { seq, verb: match[2]!, args: text === '' ? [] : text.split(' '), text } };
}

/** A line with its CR LF. Adds the checksum when asked, or when the text itself ends like one. */
export function formatLine(seq: number, verb: string, args: readonly string[], checksum: boolean): string {
  const body = [String(seq), verb, ...args].join(' ');
  if (/[\r\n]/.test(body))
    throw new RangeError(`a protocol line cannot contain CR or LF: ${JSON.stringify(body)}`);
  if (!checksum && !CHECKSUM_SUFFIX.test(body)) return `${body}\r\n`;
  return `${body}*${xorChecksum(body).toString(16).toUpperCase().padStart(2, '0')}\r\n`;
}

function xorChecksum(text: string): number {
  let sum = 0;
  for (const byte of Buffer.from(text, 'utf8')) sum ^= byte;
  return sum;
}

function leadingSeq(body: string): number | null {
  const match = /^(\d{1,3})(?: |$)/.exec(body);
  const seq = match ? Number(match[1]) : null;
  return seq !== null && seq <= 255 ? seq : null;
}

export type Decoded<T> = { ok: true; value: T } | { ok: false; code: string; detail: string };

/** One direction of a device's verbs: decoding never throws, encoding builds a valid line. */
export interface LineCodec<T> {
  decode(message: LineMessage): Decoded<T>;
  encode(value: T): { verb: string; args: string[] };
}

export type LineProtocolOptions = {
  /** Wait for ACK/NAK this long before sending again (PROTOCOLS.md: 500 ms). */
  retryDelayMs?: number;
  /** Sends after the first (PROTOCOLS.md: 3). */
  maxRetries?: number;
  /** Append `*HH` to lines sent. Lines received are accepted with or without. */
  checksum?: boolean;
  /** Longer incoming lines are discarded unread. */
  maxLineBytes?: number;
};

/** Test hook for simulators: decide about an incoming line before it is decoded. */
export type Screen = (message: LineMessage) => 'process' | 'ignore' | { nak: string };

export type LineEndpointOptions<In, Out> = LineProtocolOptions & {
  name: string;
  incoming: LineCodec<In>;
  outgoing: LineCodec<Out>;
  write: (line: string) => Promise<void>;
  logger: HardwareLogger;
  clock?: Clock;
  screen?: Screen;
};

type Reply = LineMessage | 'timeout' | 'closed';

/**
 * One end of a line-protocol conversation, the same code for HallQ and for the simulators. Incoming
 * lines are answered (ACK, or NAK with a code) and decoded; a retransmission of the line just accepted is
 * acknowledged again but not delivered twice (a repeated NEXT must not call two tickets). Outgoing
 * values are sent one at a time, each waiting for the reply with its SEQ, retried on silence.
 */
export class LineEndpoint<In, Out> {
  private readonly listeners = new Set<(value: In) => void>();
  private readonly retryDelayMs: number;
  private readonly maxRetries: number;
  private readonly checksum: boolean;
  private readonly clock: Clock;
  private nextSeq = 0;
  private sending: Promise<unknown> = Promise.resolve();
  private awaiting: { seq: number; settle: (reply: Reply) => void } | null = null;
  private lastAccepted: { line: string; at: number } | null = null;
  private closed = false;

  constructor(private readonly options: LineEndpointOptions<In, Out>) {
    this.retryDelayMs = options.retryDelayMs ?? 500;
    this.maxRetries = options.maxRetries ?? 3;
    this.checksum = options.checksum ?? true;
    this.clock = options.clock ?? systemClock;
  }

  onMessage(listener: (value: In) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /**
   * Resolves on ACK. Rejects with a DeviceError: `nak` when the device refused the line, `timeout` when
   * it never answered (it may still have acted), `disconnected` when the line could not be sent.
   */
  send(value: Out): Promise<void> {
    const result = this.sending.then(() => this.transmit(value));
    this.sending = result.catch(() => {});
    return result;
  }

  receive(line: string): void {
    const parsed = parseLine(line);
    if (!parsed.ok) {
      this.warn('bad line', { line, problem: parsed.detail });
      // A garbled reply is not answered (the sender retries on silence): replies to replies never end.
      if (parsed.seq !== null && !/^\d{1,3} (ACK|NAK)\b/.test(line))
        this.reply(parsed.seq, 'NAK', parsed.code);
      return;
    }
    const { message } = parsed;
    if (message.verb === 'ACK' || message.verb === 'NAK') {
      this.settle(message, line);
      return;
    }
    const screened = this.options.screen?.(message) ?? 'process';
    if (screened !== 'process') {
      if (screened !== 'ignore') this.reply(message.seq, 'NAK', screened.nak);
      return;
    }
    const decoded = this.options.incoming.decode(message);
    if (!decoded.ok) {
      this.warn('line refused', { line, problem: decoded.detail });
      this.reply(message.seq, 'NAK', decoded.code);
      return;
    }
    const identity = `${message.seq} ${message.verb} ${message.text}`;
    const now = this.clock.now();
    const repeated =
      this.lastAccepted?.line === identity &&
      now - this.lastAccepted.at < this.retryDelayMs * (this.maxRetries + 1) * 2;
    this.lastAccepted = { line: identity, at: now };
    this.reply(message.seq, 'ACK');
    if (repeated) return;
    for (const listener of this.listeners) {
      try {
        listener(decoded.value);
      } catch (error) {
        this.warn('listener failed', { line, error: errorMessage(error) });
      }
    }
  }

  /** Fails the send in progress and every later one with `disconnected`. */
  close(): void {
    this.closed = true;
    this.awaiting?.settle('closed');
  }

  private async transmit(value: Out): Promise<void> {
    const { name } = this.options;
    if (this.closed) throw new DeviceError(`${name}: closed`, { disconnected: true });
    const { verb, args } = this.options.outgoing.encode(value);
    const seq = this.nextSeq;
    this.nextSeq = (seq + 1) % 256;
    const line = formatLine(seq, verb, args, this.checksum);
    const shown = line.trimEnd();
    for (let attempt = 0; attempt <= this.maxRetries; attempt += 1) {
      const replied = this.awaitReply(seq);
      try {
        await this.options.write(line);
      } catch (error) {
        this.awaiting = null;
        throw error;
      }
      const reply = await replied;
      if (reply === 'closed')
        throw new DeviceError(`${name}: closed while sending ${shown}`, { disconnected: true });
      if (reply === 'timeout') continue;
      if (reply.verb === 'ACK') return;
      const code = reply.args[0] ?? 'UNSPECIFIED';
      if (TRANSMISSION_NAKS.includes(code)) continue;
      throw new DeviceError(`${name} refused ${shown}: NAK ${code}`, { nak: code });
    }
    throw new DeviceError(`${name}: no ACK for ${shown} after ${this.maxRetries + 1} attempts`, {
      timeout: true,
    });
  }

  /** Registered before writing, so a reply that beats the write callback is not missed. */
  private awaitReply(seq: number): Promise<Reply> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => settle('timeout'), this.retryDelayMs);
      const settle = (reply: Reply) => {
        clearTimeout(timer);
        if (this.awaiting?.settle === settle) this.awaiting = null;
        resolve(reply);
      };
      this.awaiting = { seq, settle };
    });
  }

  private settle(reply: LineMessage, line: string): void {
    if (this.awaiting?.seq !== reply.seq) {
      this.warn('reply with no matching SEQ dropped', { line });
      return;
    }
    this.awaiting.settle(reply);
  }

  private reply(seq: number, verb: 'ACK' | 'NAK', code?: string): void {
    const line = formatLine(seq, verb, code ? [code] : [], this.checksum);
    this.options.write(line).catch((error: unknown) => {
      this.warn('could not answer', { line: line.trimEnd(), error: errorMessage(error) });
    });
  }

  private warn(message: string, fields: Record<string, unknown>): void {
    this.options.logger.warn(`line protocol: ${message}`, { device: this.options.name, ...fields });
  }
}
