/**
 * What the kiosk says in elderly mode (长辈模式): a few short prompts, played from the voice pack
 * (display/wall/voice/prompts/, served at `/voice/prompts/`). Pure: the machines name a prompt, this
 * turns it into clips, the shared audio queue plays them.
 *
 *   choose-service   请选择您要办理的业务 / Please choose a service.
 *   your-number      这是您的号码 A零零一，请留意叫号 / Your number is A 0 0 1, please wait for your call.
 *   appointment-code 请输入或扫描预约码 / Please enter or scan your appointment code.
 *   still-there      您还在吗？ / Are you still there?
 *
 * The number is read letter by letter and digit by digit, as the wall reads it.
 */
import { ticketNumberClips } from '../../display/common/audio/clips.ts';
import type { Lang } from '../../server/contract/api.ts';

export const PROMPTS = ['choose-service', 'your-number', 'appointment-code', 'still-there'] as const;
export type PromptName = (typeof PROMPTS)[number];

/** A prompt to say, in the language on screen; `your-number` carries the ticket number. */
export type SpokenPrompt = { prompt: PromptName; lang: Lang; number?: string };

export function promptClips(spoken: SpokenPrompt): string[] {
  const { lang } = spoken;
  if (spoken.prompt !== 'your-number') return [`prompts/${lang}/${spoken.prompt}`];
  return [
    `prompts/${lang}/your-number`,
    ...ticketNumberClips(spoken.number ?? '', lang),
    `prompts/${lang}/wait-for-call`,
  ];
}
