import { accept, refuse, type ShowCommand, showCodec } from '../codecs.ts';
import { type LineCodec, NAK } from '../line-protocol.ts';

/** Keys of the call keypad (呼叫器) that act on the counter's current ticket or state. */
export const KEYPAD_KEYS = ['NEXT', 'RECALL', 'NOSHOW', 'FINISH', 'PAUSE', 'RESUME'] as const;
export type KeypadKey = (typeof KEYPAD_KEYS)[number];

/** What the keypad reports: a key, or a transfer to the service with this ticket prefix. */
export type KeypadPress = { key: KeypadKey } | { key: 'XFER'; servicePrefix: string };

const SERVICE_PREFIX = /^[A-Za-z0-9]{1,8}$/;

export const keypadPresses: LineCodec<KeypadPress> = {
  decode(message) {
    const key = KEYPAD_KEYS.find((k) => k === message.verb);
    if (key)
      return message.args.length === 0 ? accept({ key }) : refuse(NAK.badArgs, `${key} takes no arguments`);
    if (message.verb !== 'XFER') return refuse(NAK.unknownVerb, `unknown verb ${message.verb}`);
    const [prefix, ...rest] = message.args;
    if (!prefix || rest.length > 0 || !SERVICE_PREFIX.test(prefix)) {
      return refuse(NAK.badArgs, 'XFER takes one service prefix');
    }
    return accept({ key: 'XFER', servicePrefix: prefix });
  },
  encode: (press) =>
    press.key === 'XFER' ? { verb: 'XFER', args: [press.servicePrefix] } : { verb: press.key, args: [] },
};

/** HallQ → keypad: its small screen (current number, waiting count). */
export const keypadScreen: LineCodec<ShowCommand> = showCodec;
