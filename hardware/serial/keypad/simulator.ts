import type { ShowCommand } from '../codecs.ts';
import { type DeviceConnection, LineSimulator } from '../line-device.ts';
import { type KeypadKey, type KeypadPress, keypadPresses, keypadScreen } from './codec.ts';

/** A call keypad on the far end of a cable: staff key presses on demand, its screen recorded. */
export class KeypadSimulator extends LineSimulator<ShowCommand, KeypadPress> {
  constructor(connection: DeviceConnection) {
    super(connection, keypadScreen, keypadPresses);
  }

  /** Presses a key; resolves when HallQ acknowledged it. */
  press(press: KeypadPress | KeypadKey): Promise<void> {
    return this.emit(typeof press === 'string' ? { key: press } : press);
  }

  /** What its screen shows: the last SHOW received, or null. */
  screenText(): string | null {
    return this.lastReceived()?.text ?? null;
  }
}
