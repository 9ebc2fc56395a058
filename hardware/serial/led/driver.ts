import { noVerbs } from '../codecs.ts';
import { type DeviceConnection, LineDriver } from '../line-device.ts';
import { type LedCommand, ledCommands } from './codec.ts';

/** A counter's LED window screen (窗口屏). It only listens; each method resolves on its ACK. */
export class LedDriver extends LineDriver<never, LedCommand> {
  constructor(connection: DeviceConnection) {
    super(connection, noVerbs, ledCommands);
  }

  show(text: string): Promise<void> {
    return this.send({ kind: 'show', text });
  }

  /** Draws attention to a new call; 1–60 seconds. */
  blink(seconds: number): Promise<void> {
    return this.send({ kind: 'blink', seconds });
  }

  clear(): Promise<void> {
    return this.send({ kind: 'clear' });
  }
}
