import { describe, expect, it, vi } from 'vitest';
import { type AlertEnvironment, createPhoneAlerts } from './alerts.ts';

function phone(
  options: { permission?: NotificationPermission; answer?: NotificationPermission; audio?: boolean } = {},
) {
  let permission = options.permission ?? 'default';
  const played: string[][] = [];
  const shown: string[] = [];
  const vibrations: number[][] = [];
  const env: AlertEnvironment = {
    openAudio: () =>
      options.audio === false
        ? null
        : { play: async (clips) => void played.push(clips), resume: () => Promise.resolve() },
    notifications: {
      permission: () => permission,
      request: vi.fn(async () => {
        permission = options.answer ?? 'granted';
        return permission;
      }),
      show: (title, body) => void shown.push(`${title}|${body}`),
    },
    vibrate: (pattern) => {
      vibrations.push(pattern);
      return true;
    },
  };
  return { env, played, shown, vibrations };
}

const message = { title: '请到 3号窗口 · A012', body: '轮到您了，A012 请到 3号窗口' };

describe('phone alerts', () => {
  it('on the tap: asks for notifications, and plays the chime once to be heard', async () => {
    const p = phone();
    const alerts = createPhoneAlerts(p.env);
    expect(await alerts.enable()).toEqual({ sound: true, notifications: 'granted' });
    expect(p.env.notifications?.request).toHaveBeenCalledOnce();
    expect(p.played).toEqual([['chime']]);
  });

  it('on the call: chimes, vibrates and notifies', async () => {
    const p = phone();
    const alerts = createPhoneAlerts(p.env);
    await alerts.enable();
    alerts.called(message);
    expect(p.played.at(-1)).toEqual(['chime', 'chime']);
    expect(p.vibrations).toHaveLength(1);
    expect(p.shown).toEqual([`${message.title}|${message.body}`]);
  });

  it('vibrates even before the tap, and notifies only when allowed', () => {
    const p = phone({ permission: 'denied' });
    createPhoneAlerts(p.env).called(message);
    expect(p.vibrations).toHaveLength(1);
    expect(p.played).toEqual([]);
    expect(p.shown).toEqual([]);
  });

  it('says what the phone refused, and survives a phone that throws on notifications', async () => {
    const p = phone({ answer: 'denied', audio: false });
    const alerts = createPhoneAlerts(p.env);
    expect(await alerts.enable()).toEqual({ sound: false, notifications: 'denied' });
    const strict = phone({ permission: 'granted' });
    strict.env.notifications!.show = () => {
      throw new TypeError('Illegal constructor');
    };
    expect(() => createPhoneAlerts(strict.env).called(message)).not.toThrow();
    expect(strict.vibrations).toHaveLength(1);
  });
});
