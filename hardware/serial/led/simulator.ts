import { noVerbs } from '../codecs.ts';
import { type DeviceConnection, LineSimulator } from '../line-device.ts';
import { type LedCommand, ledCommands } from './codec.ts';

export type LedDisplay = { text: string | null; blinkSeconds: number | null };

/** An LED window screen on the far end of a cable; what it would display is kept for tests and the demo. */
export class LedSimulator extends LineSimulator<LedCommand, never> {
  private shown: LedDisplay = { text: null, blinkSeconds: null };

  constructor(connection: DeviceConnection) {
    super(connection, ledCommands, noVerbs);
  }

  /** The text on the screen and the last blink asked for (cleared by the next SHOW or CLEAR). */
  display(): LedDisplay {
    return this.shown;
  }

  override reset(): void {
    super.reset();
    this.shown = { text: null, blinkSeconds: null };
  }

  protected override handle(command: LedCommand): void {
    if (command.kind === 'show') this.shown = { text: command.text, blinkSeconds: null };
    else if (command.kind === 'blink') this.shown = { ...this.shown, blinkSeconds: command.seconds };
    else this.shown = { text: null, blinkSeconds: null };
  }
}
