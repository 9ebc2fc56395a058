/**
 * Announcements wait their turn: one plays at a time from its first clip to its last, so a call never
 * cuts another off. A call that waited past `maxAgeMs` (a burst after a reconnect, a long queue) is
 * dropped from the audio but stays on screen: announcing a number minutes late only confuses people.
 * `clear()` drops everything waiting and cuts the one playing (the kiosk, when a customer's session
 * ends). Used by the wall's call announcements and the kiosk's elderly-mode prompts.
 */
export type Announcement = {
  /** Names the announcement in the state (for tests and the e2e hook); not used for dedupe. */
  id: string;
  clips: string[];
  /** When the call happened, on the `now()` clock (ms). */
  at: number;
};

/** Plays clips back to back; resolves when the last has finished. Missing clips are skipped, not fatal. */
export type ClipPlayer = (clips: readonly string[]) => Promise<void>;

export type AudioQueueState = {
  /** Every clip already played, oldest first (bounded). */
  played: string[];
  /** Clips of the announcement playing now. */
  playing: string[];
  /** Clips of the announcements still waiting, in order. */
  queued: string[];
  /** Ids of announcements dropped as too old (bounded). */
  dropped: string[];
};

export type AudioQueueOptions = {
  play: ClipPlayer;
  now: () => number;
  maxAgeMs?: number;
  onChange?: (state: AudioQueueState) => void;
  /**
   * Resolves when sound can play (the browser may hold audio until someone taps the page). Calls wait
   * for it in the queue, where the age rule still applies once sound is enabled.
   */
  ready?: () => Promise<void>;
  /** Cuts the sound playing now short (its `play` promise then resolves); used by `clear()`. */
  stop?: () => void;
};

/** A day of calls is a few thousand clips; older history is of no use even to a test. */
const HISTORY_LIMIT = 2_000;

export function createAudioQueue(options: AudioQueueOptions) {
  const maxAgeMs = options.maxAgeMs ?? 60_000;
  const waiting: Announcement[] = [];
  let playing: Announcement | null = null;
  let cut = false;
  const played: string[] = [];
  const dropped: string[] = [];

  const state = (): AudioQueueState => ({
    played: [...played],
    playing: playing ? [...playing.clips] : [],
    queued: waiting.flatMap((a) => a.clips),
    dropped: [...dropped],
  });
  const changed = () => options.onChange?.(state());
  const remember = (list: string[], items: string[]) => {
    list.push(...items);
    if (list.length > HISTORY_LIMIT) list.splice(0, list.length - HISTORY_LIMIT);
  };
  const tooOld = (a: Announcement) => options.now() - a.at > maxAgeMs;

  let running = false;
  const next = async () => {
    if (running) return;
    running = true;
    while (waiting.length > 0) {
      if (options.ready) await options.ready();
      const announcement = waiting.shift();
      // Cleared while waiting for sound to be allowed.
      if (!announcement) continue;
      if (tooOld(announcement)) {
        remember(dropped, [announcement.id]);
        changed();
        continue;
      }
      playing = announcement;
      changed();
      try {
        await options.play(announcement.clips);
      } catch (error) {
        // The audio device failing must not stop later calls from being tried.
        console.warn('hallq: announcement failed', announcement.id, error);
      }
      if (cut) remember(dropped, [announcement.id]);
      else remember(played, announcement.clips);
      playing = null;
      cut = false;
      changed();
    }
    running = false;
  };

  return {
    enqueue(announcement: Announcement) {
      waiting.push(announcement);
      changed();
      void next();
    },
    /** Drops every waiting announcement and cuts the playing one short; both count as dropped. */
    clear() {
      remember(
        dropped,
        waiting.splice(0).map((a) => a.id),
      );
      if (playing) {
        cut = true;
        options.stop?.();
      }
      changed();
    },
    state,
  };
}

export type AudioQueue = ReturnType<typeof createAudioQueue>;
