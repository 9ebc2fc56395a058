import { render } from 'preact';
import type { HallEvent } from '../../server/contract/events.ts';
import { type AudioQueueState, createAudioQueue } from '../common/audio/audio-queue.ts';
import { createWebAudioPlayer, whenRunning } from '../common/audio/web-audio-player.ts';
import { PairingGate } from '../common/pairing-gate.tsx';
import { createAnnouncer } from './announce/announcer.ts';
import { createServerClock } from './announce/server-clock.ts';
import { readWallOptions } from './options.ts';
import { WallApp } from './wall-app.tsx';
import './wall.css';

/** Where the server serves display/wall/voice/ (see voice/README.md). */
const VOICE_URL = '/voice/';

declare global {
  interface Window {
    /** Test hook: the audio queue as it stands (README.md, "Test hook"). */
    __hallqAudio?: AudioQueueState;
  }
}

const options = readWallOptions(location.search);
const clock = createServerClock(Date.now);
let announce = (event: HallEvent) => clock.observeIso(event.at);
let sound: AudioContext | null = null;

if (options.voice.length > 0) {
  const context = new AudioContext();
  sound = context;
  const queue = createAudioQueue({
    play: createWebAudioPlayer({ context, baseUrl: VOICE_URL }),
    ready: () => whenRunning(context),
    now: Date.now,
    maxAgeMs: options.voiceMaxAgeMs,
    onChange: (state) => {
      window.__hallqAudio = state;
    },
  });
  window.__hallqAudio = queue.state();
  const zone = options.zone;
  announce = createAnnouncer({
    queue,
    clock,
    langs: options.voice,
    inZone: (counterId) => zone === null || zone.has(counterId),
  });
}

// Outside the demo an unpaired wall shows only its pairing code (its stream itself is public).
render(
  <PairingGate kind="display" storageKey="hallq-display-token">
    <WallApp options={options} announce={announce} clock={clock} sound={sound} />
  </PairingGate>,
  document.getElementById('app')!,
);
