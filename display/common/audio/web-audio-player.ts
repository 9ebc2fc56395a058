import type { ClipPlayer } from './audio-queue.ts';

/** A player that can also cut the clips it is playing short (`stop`). */
export type StoppableClipPlayer = ClipPlayer & { stop(): void };

/** The part of AudioContext the player uses (a fake in tests). */
export type AudioOut = Pick<
  AudioContext,
  'currentTime' | 'destination' | 'createBufferSource' | 'decodeAudioData' | 'state'
>;

export type WebAudioPlayerOptions = {
  context: AudioOut;
  /** Where the voice pack is served, ending in `/`: clip `zh/qing` is `${baseUrl}zh/qing.wav`. */
  baseUrl: string;
  fetch?: (url: string) => Promise<Response>;
  timers?: { setTimeout(fn: () => void, ms: number): unknown };
};

/** Room for the clips to be started together after they are decoded. */
const START_DELAY_S = 0.05;
/** A suspended context never ends its sources: give up this long after the sound should have ended. */
const END_GRACE_MS = 1_000;

/**
 * Plays clips from the voice pack with Web Audio, each fetched and decoded once. The clips of one
 * announcement are scheduled back to back on the audio clock, so there are no gaps between words however
 * slow the page's main thread is. A clip that cannot be fetched or decoded is skipped (and tried again
 * next time, in case a hall was still copying its recordings in). `stop()` silences what is playing and
 * resolves its promise; clips still loading for it are not played.
 */
export function createWebAudioPlayer(options: WebAudioPlayerOptions): StoppableClipPlayer {
  const { context } = options;
  const doFetch = options.fetch ?? ((url) => fetch(url));
  const timers = options.timers ?? globalThis;
  const buffers = new Map<string, Promise<AudioBuffer | null>>();
  /** Bumped by `stop()`: a play started before it does not start its sources. */
  let generation = 0;
  let current: { sources: AudioBufferSourceNode[]; end: () => void } | null = null;

  const load = (clip: string): Promise<AudioBuffer | null> => {
    let buffer = buffers.get(clip);
    if (!buffer) {
      buffer = doFetch(`${options.baseUrl}${clip}.wav`)
        .then((res) => {
          if (!res.ok) throw new Error(`HTTP ${res.status}`);
          return res.arrayBuffer();
        })
        .then((bytes) => context.decodeAudioData(bytes))
        .catch((error: unknown) => {
          buffers.delete(clip);
          console.warn(`hallq: voice clip ${clip} unavailable`, error);
          return null;
        });
      buffers.set(clip, buffer);
    }
    return buffer;
  };

  const play = async (clips: readonly string[]) => {
    const mine = generation;
    const decoded = (await Promise.all(clips.map(load))).filter((b): b is AudioBuffer => b !== null);
    if (decoded.length === 0 || mine !== generation) return;
    let at = context.currentTime + START_DELAY_S;
    const start = at;
    const sources: AudioBufferSourceNode[] = [];
    for (const buffer of decoded) {
      const source = context.createBufferSource();
      source.buffer = buffer;
      source.connect(context.destination);
      source.start(at);
      at += buffer.duration;
      sources.push(source);
    }
    await new Promise<void>((resolve) => {
      const end = () => {
        if (current?.end === end) current = null;
        resolve();
      };
      current = { sources, end };
      sources.at(-1)!.onended = end;
      timers.setTimeout(end, (at - start + START_DELAY_S) * 1000 + END_GRACE_MS);
    });
  };

  const stop = () => {
    generation += 1;
    const playing = current;
    if (!playing) return;
    current = null;
    for (const source of playing.sources) {
      try {
        source.stop();
      } catch {
        // Already ended: nothing to silence.
      }
    }
    playing.end();
  };

  return Object.assign(play, { stop });
}

/** Resolves once the browser lets the context play (at once with the autoplay flag, else after a tap). */
export function whenRunning(context: AudioContext): Promise<void> {
  if (context.state === 'running') return Promise.resolve();
  return new Promise((resolve) => {
    const check = () => {
      if (context.state !== 'running') return;
      context.removeEventListener('statechange', check);
      resolve();
    };
    context.addEventListener('statechange', check);
  });
}
