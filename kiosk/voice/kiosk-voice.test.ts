import { describe, expect, it, vi } from 'vitest';
import { createKioskVoice } from './kiosk-voice.ts';

/** A player whose prompts end when the test says so. */
function fakeOutput() {
  const plays: { clips: readonly string[]; finish: () => void }[] = [];
  const play = Object.assign(
    vi.fn(
      (clips: readonly string[]) =>
        new Promise<void>((resolve) => {
          plays.push({ clips, finish: resolve });
        }),
    ),
    { stop: vi.fn(() => plays.at(-1)?.finish()) },
  );
  return { play, plays };
}

describe('kiosk voice', () => {
  it('plays one prompt at a time, drops one that waited too long, and opens the sound only when needed', async () => {
    let time = 0;
    const output = fakeOutput();
    const openAudio = vi.fn(() => ({ play: output.play }));
    const voice = createKioskVoice({ openAudio, now: () => time, maxAgeMs: 4_000 });
    expect(openAudio).not.toHaveBeenCalled();
    voice.say({ prompt: 'choose-service', lang: 'zh' });
    voice.say({ prompt: 'still-there', lang: 'zh' });
    voice.say({ prompt: 'your-number', lang: 'zh', number: 'A1' });
    expect(output.plays.map((p) => p.clips)).toEqual([['prompts/zh/choose-service']]);
    output.plays[0]!.finish();
    await vi.waitFor(() => expect(output.plays).toHaveLength(2));
    time = 5_000;
    output.plays[1]!.finish();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(output.plays).toHaveLength(2);
    expect(openAudio).toHaveBeenCalledOnce();
  });

  it('hushes: stops what plays and forgets what waits', async () => {
    const output = fakeOutput();
    const voice = createKioskVoice({ openAudio: () => ({ play: output.play }), now: () => 0 });
    voice.hush(); // before anything was said: nothing to do
    voice.say({ prompt: 'still-there', lang: 'en' });
    voice.say({ prompt: 'still-there', lang: 'en' });
    voice.hush();
    expect(output.play.stop).toHaveBeenCalledOnce();
    await new Promise((resolve) => setTimeout(resolve, 0));
    expect(output.plays).toHaveLength(1);
  });

  it('does nothing, and never throws, on a kiosk without sound', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const broken = createKioskVoice({
      openAudio: () => {
        throw new Error('no audio device');
      },
      now: () => 0,
    });
    expect(() => broken.say({ prompt: 'still-there', lang: 'zh' })).not.toThrow();
    expect(() => broken.hush()).not.toThrow();
    const none = createKioskVoice({ openAudio: () => null, now: () => 0 });
    expect(() => none.say({ prompt: 'still-there', lang: 'zh' })).not.toThrow();
    expect(warn).toHaveBeenCalledOnce();
    warn.mockRestore();
  });
});
