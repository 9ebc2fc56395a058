import { useEffect, useState } from 'preact/hooks';
import type { HallEvent } from '../../server/contract/events.ts';
import { useHallStream } from '../common/use-hall-stream.ts';
import type { ServerClock } from './announce/server-clock.ts';
import { fetchNotices, type Notice } from './notices.ts';
import type { WallOptions } from './options.ts';
import { WallView } from './wall-view.tsx';

const NOTICES_REFRESH_MS = 60_000;

/** Where the screen's sound comes from; null on a silent screen. */
export type SoundOutput = Pick<AudioContext, 'state' | 'resume' | 'addEventListener' | 'removeEventListener'>;

/** The notices, fetched now, every minute, and whenever `version` changes (a `notices.updated` event). */
function useNotices(clock: ServerClock, version: number): Notice[] | null {
  const [notices, setNotices] = useState<Notice[] | null>(null);
  useEffect(() => {
    let alive = true;
    const load = () =>
      fetchNotices(fetch, clock.observeHttpDate).then((next) => {
        if (alive) setNotices(next);
      });
    void load();
    const timer = setInterval(load, NOTICES_REFRESH_MS);
    return () => {
      alive = false;
      clearInterval(timer);
    };
  }, [clock, version]);
  return notices;
}

/** The server's time, ticking each second: the clock shows it and calls age by it. */
function useServerNow(clock: ServerClock): number {
  const [now, setNow] = useState(() => clock.serverNow());
  useEffect(() => {
    const timer = setInterval(() => setNow(clock.serverNow()), 1_000);
    return () => clearInterval(timer);
  }, [clock]);
  return now;
}

/** True while the browser keeps the audio suspended for want of a user gesture. */
function useSoundBlocked(sound: SoundOutput | null): boolean {
  const [blocked, setBlocked] = useState(sound?.state === 'suspended');
  useEffect(() => {
    if (!sound) return;
    const update = () => setBlocked(sound.state === 'suspended');
    update();
    sound.addEventListener('statechange', update);
    return () => sound.removeEventListener('statechange', update);
  }, [sound]);
  return blocked;
}

export function WallApp(props: {
  options: WallOptions;
  announce: (event: HallEvent) => void;
  clock: ServerClock;
  sound: SoundOutput | null;
}) {
  const [noticesVersion, setNoticesVersion] = useState(0);
  const { hall, connection } = useHallStream({
    onEvent: (event) => {
      if (event.type === 'notices.updated') setNoticesVersion((v) => v + 1);
      props.announce(event);
    },
  });
  const notices = useNotices(props.clock, noticesVersion);
  const now = useServerNow(props.clock);
  const soundBlocked = useSoundBlocked(props.sound);
  return (
    <WallView
      hall={hall}
      now={now}
      connection={connection}
      zone={props.options.zone}
      notices={notices}
      soundBlocked={soundBlocked}
      onEnableSound={() => void props.sound?.resume()}
    />
  );
}
