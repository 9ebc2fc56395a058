import type { ShowCommand } from '../codecs.ts';
import { type DeviceConnection, LineDriver } from '../line-device.ts';
import { type KeypadPress, keypadPresses, keypadScreen } from './codec.ts';

/** A counter's call keypad (呼叫器). */
export class KeypadDriver extends LineDriver<KeypadPress, ShowCommand> {
  constructor(connection: DeviceConnection) {
    super(connection, keypadPresses, keypadScreen);
  }

  /** Each key press once, after the keypad got its ACK (a repeated line is not a second press). */
  onPress(listener: (press: KeypadPress) => void): () => void {
    return this.onReport(listener);
  }

  /** Text for the keypad's own small screen, e.g. the current number and the waiting count. */
  show(text: string): Promise<void> {
    return this.send({ kind: 'show', text });
  }
}
