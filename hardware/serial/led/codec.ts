import { accept, decodeShow, encodeShow, refuse, type ShowCommand } from '../codecs.ts';
import { type LineCodec, NAK } from '../line-protocol.ts';

/** HallQ → LED window screen (窗口屏). */
export type LedCommand = ShowCommand | { kind: 'blink'; seconds: number } | { kind: 'clear' };

/** Longest blink a screen is asked for; a call blinks a few seconds. */
export const BLINK_MAX_SECONDS = 60;

export const ledCommands: LineCodec<LedCommand> = {
  decode(message) {
    switch (message.verb) {
      case 'SHOW':
        return decodeShow(message);
      case 'BLINK': {
        const seconds =
          message.args.length === 1 && /^\d{1,2}$/.test(message.args[0]!) ? Number(message.args[0]) : 0;
        if (seconds < 1 || seconds > BLINK_MAX_SECONDS) {
          return refuse(NAK.badArgs, `BLINK takes 1–${BLINK_MAX_SECONDS} seconds`);
        }
        return accept({ kind: 'blink', seconds });
      }
      case 'CLEAR':
        return message.args.length === 0
          ? accept({ kind: 'clear' })
          : refuse(NAK.badArgs, 'CLEAR takes no arguments');
      default:
        return refuse(NAK.unknownVerb, `unknown verb ${message.verb}`);
    }
  },
  encode(command) {
    switch (command.kind) {
      case 'show':
        return encodeShow(command);
      case 'blink':
        return {
          verb: 'BLINK',
          args: [String(Math.min(BLINK_MAX_SECONDS, Math.max(1, Math.round(command.seconds))))],
        };
      case 'clear':
        return { verb: 'CLEAR', args: [] };
    }
  },
};
