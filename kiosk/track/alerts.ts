/**
 * The phone page's alert for a call: a chime (the wall's, from the voice pack), a vibration and a
 * system notification. Browsers allow sound and notifications only after a tap, so `enable` runs in
 * the tap: it opens and resumes the audio, asks for notifications, and plays the chime once so the
 * customer hears what to listen for. Whatever the phone refuses, the rest still works, and the page
 * says which (`AlertsEnabled`).
 */
import type { AlertsEnabled } from './track.machine.ts';

/** What the page needs of the browser (fakes in tests). */
export type AlertEnvironment = {
  /** A started audio output that plays clips of the voice pack; null without Web Audio. */
  openAudio: () => { play: (clips: string[]) => Promise<void>; resume: () => Promise<void> } | null;
  notifications: {
    permission: () => NotificationPermission;
    request: () => Promise<NotificationPermission>;
    show: (title: string, body: string) => void;
  } | null;
  vibrate: ((pattern: number[]) => boolean) | null;
};

/** The wall's call chime, twice for a call. */
const CHIME = ['chime'];
const CALL_VIBRATION = [400, 200, 400, 200, 400];

export function createPhoneAlerts(env: AlertEnvironment) {
  let audio: ReturnType<AlertEnvironment['openAudio']> = null;

  async function enable(): Promise<AlertsEnabled> {
    audio ??= env.openAudio();
    const sound = audio !== null;
    // Resumed before anything is awaited: the tap's permission to start sound ends with its event.
    const resumed = audio?.resume().catch(() => {});
    const notifications = env.notifications
      ? env.notifications.permission() === 'default'
        ? await env.notifications.request().catch(() => 'denied' as const)
        : env.notifications.permission()
      : 'unsupported';
    if (audio) {
      await resumed;
      void audio.play(CHIME);
    }
    return { sound, notifications };
  }

  /** The ticket is called: everything the customer allowed, and a vibration where the phone can. */
  function called(message: { title: string; body: string }): void {
    env.vibrate?.(CALL_VIBRATION);
    if (audio) void audio.play([...CHIME, ...CHIME]);
    if (env.notifications?.permission() === 'granted') {
      try {
        env.notifications.show(message.title, message.body);
      } catch {
        // Some phones allow notifications only from a service worker: the chime and the title remain.
      }
    }
  }

  return { enable, called };
}
