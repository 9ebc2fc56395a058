import { type DeviceConnection, SerialDevice } from '../line-device.ts';
import { SerialLink } from '../link.ts';
import {
  encodeIdCardText,
  encodeResponse,
  type IdCardText,
  readRequest,
  type SamFrame,
  type SamRequestName,
  SW3,
  samFramer,
} from './codec.ts';

/** A fault for the next requests, or only for requests of one kind when `request` is given. */
export type IdReaderFault = (
  | { kind: 'ignore' }
  | { kind: 'corrupt-checksum' }
  | { kind: 'status'; sw3: number }
) & {
  request?: SamRequestName;
};

/** A card for tests and the demo: an invented person with a valid-looking number. */
export const SAMPLE_CARD: IdCardText = {
  name: '张晓燕',
  sexCode: '2',
  ethnicityCode: '01',
  birthDate: '19560312',
  address: '北京市西城区西单北大街120号',
  idNumber: '110102195603120025',
  issuer: '北京市公安局西城分局',
  validFrom: '20160101',
  validTo: '长期',
};

const PHOTO_BYTES = 1024;

/**
 * A SAM ID card reader on the far end of a cable, answering find/select/read/status as PROTOCOLS.md
 * describes, with a card that tests place and remove.
 */
export class IdReaderSimulator extends SerialDevice {
  protected readonly link: SerialLink<SamFrame>;
  private card: IdCardText | null = null;
  private requests: (SamRequestName | null)[] = [];
  private fault: { fault: IdReaderFault; remaining: number } | null = null;

  constructor(connection: DeviceConnection) {
    super();
    this.link = new SerialLink({
      ...connection,
      baudRate: connection.baudRate ?? 115_200,
      framer: samFramer(),
    }).start();
    this.link.onFrame((frame) => this.answer(frame));
  }

  /** Places a card: the sample card, with any fields given instead of its own. */
  placeCard(card: Partial<IdCardText> = {}): void {
    this.card = { ...SAMPLE_CARD, ...card };
  }

  removeCard(): void {
    this.card = null;
  }

  /** Requests received, in order; null for a frame that was not a known request. */
  requestsReceived(): readonly (SamRequestName | null)[] {
    return this.requests;
  }

  /** The next `count` requests go unanswered, get a corrupted reply, or get this SW3. */
  injectFault(fault: IdReaderFault, count = Number.POSITIVE_INFINITY): void {
    this.fault = { fault, remaining: count };
  }

  /** Bytes exactly as given, e.g. noise on the line. */
  sendRaw(bytes: Uint8Array): Promise<void> {
    return this.link.write(bytes);
  }

  reset(): void {
    this.card = null;
    this.requests = [];
    this.fault = null;
  }

  close(): Promise<void> {
    return this.link.close();
  }

  private answer(frame: SamFrame): void {
    const request = readRequest(frame);
    const name = request.ok ? request.name : null;
    this.requests.push(name);
    const pending = this.fault;
    const applies =
      pending && pending.remaining > 0 && (!pending.fault.request || pending.fault.request === name);
    const fault = applies ? pending.fault : null;
    if (pending && fault) pending.remaining -= 1;
    if (fault?.kind === 'ignore') return;
    let reply = fault?.kind === 'status' ? encodeResponse(fault.sw3) : this.reply(request);
    if (fault?.kind === 'corrupt-checksum') {
      reply = Uint8Array.from(reply);
      reply[reply.length - 1]! ^= 0xff;
    }
    this.link.write(reply).catch(() => {}); // a reply lost to an unplug is what a real reader does too
  }

  private reply(request: ReturnType<typeof readRequest>): Uint8Array {
    if (!request.ok) return encodeResponse(request.sw3);
    const card = this.card;
    switch (request.name) {
      case 'status':
        return encodeResponse(SW3.ok);
      case 'find':
        return card ? encodeResponse(SW3.cardFound, new Uint8Array(4)) : encodeResponse(SW3.noCard);
      case 'select':
        return card ? encodeResponse(SW3.ok, new Uint8Array(8)) : encodeResponse(SW3.selectFailed);
      case 'read': {
        if (!card) return encodeResponse(SW3.readFailed);
        const data = new Uint8Array(4 + 256 + PHOTO_BYTES);
        data.set([0x01, 0x00, PHOTO_BYTES >> 8, PHOTO_BYTES & 0xff]);
        data.set(encodeIdCardText(card), 4);
        data.fill(0x57, 260); // stands in for the WLT photo: opaque bytes
        return encodeResponse(SW3.ok, data);
      }
    }
  }
}
