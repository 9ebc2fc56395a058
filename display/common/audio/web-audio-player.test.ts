import { describe, expect, it, vi } from 'vitest';
import { type AudioOut, createWebAudioPlayer } from './web-audio-player.ts';

/** An audio context that records when each source was started and ends them on demand. */
function fakeAudio() {
  const started: {
    buffer: AudioBuffer | null;
    at: number;
    source: { onended: (() => void) | null; stopped: boolean };
  }[] = [];
  const context = {
    currentTime: 10,
    state: 'running',
    destination: {} as AudioDestinationNode,
    decodeAudioData: vi.fn(async (bytes: ArrayBuffer) => {
      const seconds = new Uint8Array(bytes)[0]!;
      return { duration: seconds } as AudioBuffer;
    }),
    createBufferSource: () => {
      const source = {
        buffer: null as AudioBuffer | null,
        onended: null as (() => void) | null,
        stopped: false,
        connect: vi.fn(),
        start: (at: number) => started.push({ buffer: source.buffer, at, source }),
        stop: () => {
          source.stopped = true;
        },
      };
      return source as unknown as AudioBufferSourceNode;
    },
  } satisfies AudioOut;
  return { context, started, endLast: () => started.at(-1)!.source.onended?.() };
}

/** Clip files whose first byte is the clip's length in seconds; `missing` answers 404. */
function voicePack(lengths: Record<string, number>) {
  return vi.fn(async (url: string) => {
    const clip = url.replace(/^\/voice\/|\.wav$/g, '');
    const length = lengths[clip];
    return length === undefined ? new Response('', { status: 404 }) : new Response(new Uint8Array([length]));
  });
}

describe('web audio player', () => {
  it('schedules the clips of an announcement back to back and ends with the last one', async () => {
    const audio = fakeAudio();
    const fetch = voicePack({ chime: 2, 'zh/qing': 1, 'zh/1': 1 });
    const play = createWebAudioPlayer({ context: audio.context, baseUrl: '/voice/', fetch });
    let done = false;
    const playing = play(['chime', 'zh/qing', 'zh/1']).then(() => {
      done = true;
    });
    await vi.waitFor(() => expect(audio.started).toHaveLength(3));
    expect(audio.started.map((s) => s.at)).toEqual([10.05, 12.05, 13.05]);
    expect(done).toBe(false);
    audio.endLast();
    await playing;
    expect(fetch.mock.calls.map(([url]) => url)).toEqual([
      '/voice/chime.wav',
      '/voice/zh/qing.wav',
      '/voice/zh/1.wav',
    ]);
  });

  it('fetches and decodes each clip once', async () => {
    const audio = fakeAudio();
    const fetch = voicePack({ chime: 1, 'zh/0': 1 });
    const play = createWebAudioPlayer({ context: audio.context, baseUrl: '/voice/', fetch });
    const first = play(['chime', 'zh/0', 'zh/0']);
    await vi.waitFor(() => expect(audio.started).toHaveLength(3));
    audio.endLast();
    await first;
    const second = play(['chime', 'zh/0']);
    await vi.waitFor(() => expect(audio.started).toHaveLength(5));
    audio.endLast();
    await second;
    expect(fetch).toHaveBeenCalledTimes(2);
    expect(audio.context.decodeAudioData).toHaveBeenCalledTimes(2);
  });

  it('skips a missing clip with a warning and asks for it again next time', async () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => {});
    const audio = fakeAudio();
    const fetch = voicePack({ chime: 1 });
    const play = createWebAudioPlayer({ context: audio.context, baseUrl: '/voice/', fetch });
    const first = play(['chime', 'zh/qing']);
    await vi.waitFor(() => expect(audio.started).toHaveLength(1));
    audio.endLast();
    await first;
    expect(warn).toHaveBeenCalledOnce();
    await play(['zh/qing']);
    expect(fetch).toHaveBeenCalledTimes(3);
    warn.mockRestore();
  });

  it('does not wait for ever when the audio never ends (a suspended context)', async () => {
    vi.useFakeTimers();
    const audio = fakeAudio();
    const play = createWebAudioPlayer({
      context: audio.context,
      baseUrl: '/voice/',
      fetch: voicePack({ chime: 2 }),
    });
    let done = false;
    void play(['chime']).then(() => {
      done = true;
    });
    await vi.advanceTimersByTimeAsync(3_000);
    expect(done).toBe(false);
    await vi.advanceTimersByTimeAsync(100);
    expect(done).toBe(true);
    vi.useRealTimers();
  });

  it('stops: silences every clip of what plays and ends it; a play still loading never starts', async () => {
    const audio = fakeAudio();
    const fetch = voicePack({ chime: 2, 'zh/qing': 1, 'zh/1': 1 });
    const play = createWebAudioPlayer({ context: audio.context, baseUrl: '/voice/', fetch });
    const playing = play(['chime', 'zh/qing']);
    await vi.waitFor(() => expect(audio.started).toHaveLength(2));
    play.stop();
    await playing;
    expect(audio.started.map((s) => s.source.stopped)).toEqual([true, true]);

    const loading = play(['zh/1']);
    play.stop();
    await loading;
    expect(audio.started).toHaveLength(2);
    play.stop(); // nothing playing: harmless
  });
});
