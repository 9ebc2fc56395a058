/**
 * The kiosk's voice: elderly-mode prompts (prompts.ts) through the display's shared audio queue, so two
 * prompts never overlap, one that waited too long behind another is dropped (the customer has moved on),
 * and `hush()` silences everything when a session ends. Sound is a help, never a step: with no audio
 * device, no Web Audio or a clip missing, `say` quietly does nothing and the flow goes on.
 */
import {
  type AudioQueue,
  type AudioQueueState,
  createAudioQueue,
} from '../../display/common/audio/audio-queue.ts';
import type { StoppableClipPlayer } from '../../display/common/audio/web-audio-player.ts';
import { promptClips, type SpokenPrompt } from './prompts.ts';

export type AudioOutput = { play: StoppableClipPlayer; ready?: () => Promise<void> };

export type KioskVoiceOptions = {
  /** Opens the sound output the first time a prompt is said; null (or a throw) means no sound here. */
  openAudio: () => AudioOutput | null;
  now: () => number;
  /** A prompt not started this long after its screen came up is dropped. */
  maxAgeMs?: number;
  onChange?: (state: AudioQueueState) => void;
};

export const PROMPT_MAX_AGE_MS = 4_000;

export type KioskVoice = { say(prompt: SpokenPrompt): void; hush(): void };

export function createKioskVoice(options: KioskVoiceOptions): KioskVoice {
  /** Undefined until the first prompt; null when this kiosk has no sound. */
  let queue: AudioQueue | null | undefined;
  let count = 0;

  const open = (): AudioQueue | null => {
    if (queue !== undefined) return queue;
    try {
      const output = options.openAudio();
      queue =
        output &&
        createAudioQueue({
          play: output.play,
          stop: output.play.stop,
          ready: output.ready,
          now: options.now,
          maxAgeMs: options.maxAgeMs ?? PROMPT_MAX_AGE_MS,
          onChange: options.onChange,
        });
    } catch (error) {
      console.warn('hallq: no sound for spoken prompts', error);
      queue = null;
    }
    return queue;
  };

  return {
    say(prompt) {
      count += 1;
      open()?.enqueue({ id: `${prompt.prompt}#${count}`, clips: promptClips(prompt), at: options.now() });
    },
    hush() {
      queue?.clear();
    },
  };
}
