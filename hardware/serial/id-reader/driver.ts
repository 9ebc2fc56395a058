import { type Clock, errorMessage, systemClock } from '../../common.ts';
import { DeviceError } from '../device-error.ts';
import { type DeviceConnection, SerialDevice } from '../line-device.ts';
import { SerialLink } from '../link.ts';
import {
  ageOn,
  encodeRequest,
  hashIdNumber,
  maskIdNumber,
  parseIdCardText,
  responseOf,
  type SamFrame,
  type SamRequestName,
  SW3,
  samFramer,
  splitReadData,
} from './codec.ts';

/** All HallQ keeps of a card (PROTOCOLS.md §2: only what the flow needs). */
export type IdCardSummary = {
  name: string;
  /** e.g. 110***********1234, for display. */
  maskedId: string;
  /** HMAC-SHA256 of the ID number with the hall's salt: recognises a returning card. */
  idHash: string;
  /** Completed years today in the hall's time zone: elderly priority. */
  age: number;
};

export type IdReadResult =
  | { ok: true; card: IdCardSummary }
  | { ok: false; problem: 'no-card' | 'select-failed' | 'read-failed' | 'bad-card-data'; detail: string };

export type IdReaderOptions = {
  /** Secret of this installation for `idHash`; the same salt gives the same hash across restarts. */
  salt: string;
  /** IANA zone of the hall, for the age. */
  timeZone: string;
  clock?: Clock;
  /** How long to wait for each reply before asking again once. */
  replyTimeoutMs?: number;
  /** How often `onCard` asks the reader whether a card is present. */
  pollIntervalMs?: number;
};

/** A 二代证 reader on a serial line (115200 8N1). One request at a time, as the SAM module requires. */
export class IdReaderDriver extends SerialDevice {
  protected readonly link: SerialLink<SamFrame>;
  private readonly clock: Clock;
  private readonly replyTimeoutMs: number;
  private readonly pollIntervalMs: number;
  private exchanging: Promise<unknown> = Promise.resolve();
  private awaiting: ((frame: SamFrame | null) => void) | null = null;
  private readonly cardListeners = new Set<(card: IdCardSummary) => void>();
  private pollTimer: NodeJS.Timeout | null = null;
  private cardPresent = false;

  constructor(
    private readonly connection: DeviceConnection,
    private readonly options: IdReaderOptions,
  ) {
    super();
    this.clock = options.clock ?? systemClock;
    this.replyTimeoutMs = options.replyTimeoutMs ?? 1000;
    this.pollIntervalMs = options.pollIntervalMs ?? 500;
    this.link = new SerialLink({
      ...connection,
      baudRate: connection.baudRate ?? 115_200,
      framer: samFramer(),
    }).start();
    this.link.onFrame((frame) => {
      if (this.awaiting) return this.awaiting(frame);
      connection.logger.warn('id reader: unexpected frame dropped', { device: connection.name });
    });
  }

  /** True when the SAM module reports itself ready. */
  async samReady(): Promise<boolean> {
    return (await this.exclusive(() => this.request('status'))).sw3 === SW3.ok;
  }

  /**
   * Find, select and read the card on the reader. Resolves with the minimised card or why there is none;
   * rejects with a DeviceError when the reader itself does not answer.
   */
  read(): Promise<IdReadResult> {
    return this.exclusive(() => this.readCard());
  }

  /**
   * Reports each card once when it is placed on the reader (polling while anyone listens). A card left
   * on the reader is not reported again until it has been taken away.
   */
  onCard(listener: (card: IdCardSummary) => void): () => void {
    this.cardListeners.add(listener);
    if (!this.pollTimer) this.schedulePoll();
    return () => {
      this.cardListeners.delete(listener);
      if (this.cardListeners.size === 0 && this.pollTimer) {
        clearTimeout(this.pollTimer);
        this.pollTimer = null;
      }
    };
  }

  async close(): Promise<void> {
    if (this.pollTimer) clearTimeout(this.pollTimer);
    this.pollTimer = null;
    this.cardListeners.clear();
    await this.link.close();
  }

  private schedulePoll(): void {
    this.pollTimer = setTimeout(() => void this.poll(), this.pollIntervalMs);
  }

  private async poll(): Promise<void> {
    try {
      if (this.cardPresent) {
        const found = await this.exclusive(() => this.request('find'));
        this.cardPresent = found.sw3 === SW3.cardFound;
      } else {
        const result = await this.read();
        if (result.ok) {
          this.cardPresent = true;
          for (const listener of this.cardListeners) listener(result.card);
        } else if (result.problem !== 'no-card') {
          this.connection.logger.warn('id card not read', { device: this.connection.name, ...result });
        }
      }
    } catch (error) {
      // The link reports its own health; one line here says what polling saw.
      if (this.link.health().state === 'open') {
        this.connection.logger.warn('id reader poll failed', {
          device: this.connection.name,
          error: errorMessage(error),
        });
      }
    }
    if (this.cardListeners.size > 0) this.schedulePoll();
  }

  private exclusive<T>(task: () => Promise<T>): Promise<T> {
    const result = this.exchanging.then(task);
    this.exchanging = result.catch(() => {});
    return result;
  }

  private async readCard(): Promise<IdReadResult> {
    const found = await this.request('find');
    if (found.sw3 !== SW3.cardFound) return { ok: false, problem: 'no-card', detail: sw3Text(found.sw3) };
    const selected = await this.request('select');
    if (selected.sw3 !== SW3.ok)
      return { ok: false, problem: 'select-failed', detail: sw3Text(selected.sw3) };
    const read = await this.request('read');
    if (read.sw3 !== SW3.ok) return { ok: false, problem: 'read-failed', detail: sw3Text(read.sw3) };
    const parts = splitReadData(read.data);
    if (!parts)
      return { ok: false, problem: 'bad-card-data', detail: 'text and photo lengths do not add up' };
    const parsed = parseIdCardText(parts.text);
    if (!parsed.ok) return { ok: false, problem: 'bad-card-data', detail: parsed.reason };
    const { card } = parsed;
    return {
      ok: true,
      card: {
        name: card.name,
        maskedId: maskIdNumber(card.idNumber),
        idHash: hashIdNumber(card.idNumber, this.options.salt),
        age: ageOn(card.birthDate, calendarDate(this.clock.now(), this.options.timeZone))!,
      },
    };
  }

  /** Sends a request and waits for its reply; asks once more after silence or a garbled reply. */
  private async request(name: SamRequestName): Promise<{ sw3: number; data: Uint8Array }> {
    for (let attempt = 1; attempt <= 2; attempt += 1) {
      const reply = new Promise<SamFrame | null>((resolve) => {
        const timer = setTimeout(() => resolve(null), this.replyTimeoutMs);
        this.awaiting = (frame) => {
          clearTimeout(timer);
          resolve(frame);
        };
      });
      try {
        await this.link.write(encodeRequest(name));
        const frame = await reply;
        const response = frame?.checksumOk ? responseOf(frame) : null;
        if (response) return response;
        this.connection.logger.warn('id reader: no valid reply', {
          device: this.connection.name,
          request: name,
          attempt,
          reply: frame ? 'bad checksum or too short' : 'none',
        });
      } finally {
        this.awaiting = null;
      }
    }
    throw new DeviceError(`${this.connection.name}: no valid reply to ${name}`, { timeout: true });
  }
}

function sw3Text(sw3: number): string {
  const name = Object.entries(SW3).find(([, code]) => code === sw3)?.[0] ?? 'unknown';
  return `SW3 0x${sw3.toString(16).padStart(2, '0')} (${name})`;
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function calendarDate(ms: number, timeZone: string): { year: number; month: number; day: number } {
  let format = dateFormats.get(timeZone);
  if (!format) {
    format = new Intl.DateTimeFormat('en-US', {
      timeZone,
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
    });
    dateFormats.set(timeZone, format);
  }
  const parts = format.formatToParts(ms);
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part('year'), month: part('month'), day: part('day') };
}
