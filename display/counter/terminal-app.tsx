import { useEffect, useState } from 'preact/hooks';
import type { Actor } from 'xstate';
import type { Lang } from '../../server/contract/api.ts';
import { useActorSnapshot } from '../common/use-actor.ts';
import type { terminalMachine } from './terminal.machine.ts';
import { type Screen, TerminalView } from './views.tsx';

const LANG_KEY = 'hallq.counter.lang';

function storedLang(): Lang {
  try {
    return localStorage.getItem(LANG_KEY) === 'en' ? 'en' : 'zh';
  } catch {
    return 'zh';
  }
}

/** Minutes waited move on while a customer stands at the counter. */
function useNow(everyMs: number): number {
  const [now, setNow] = useState(Date.now);
  useEffect(() => {
    const timer = setInterval(() => setNow(Date.now()), everyMs);
    return () => clearInterval(timer);
  }, [everyMs]);
  return now;
}

export function TerminalApp({ actor }: { actor: Actor<typeof terminalMachine> }) {
  const snapshot = useActorSnapshot(actor);
  const [lang, setLang] = useState<Lang>(storedLang);
  const now = useNow(15_000);

  const screen: Screen = snapshot.matches('restoring')
    ? 'starting'
    : snapshot.matches('waitingForServer')
      ? 'waitingForServer'
      : snapshot.matches('signedOut') || snapshot.matches('signingIn')
        ? 'signIn'
        : snapshot.matches({ signedIn: 'working' })
          ? 'working'
          : snapshot.matches({ signedIn: 'choosing' })
            ? 'choosing'
            : 'starting';

  const toggleLang = () => {
    const next = lang === 'zh' ? 'en' : 'zh';
    setLang(next);
    try {
      localStorage.setItem(LANG_KEY, next);
    } catch {
      // storage disabled: the choice lasts until the reload
    }
  };

  return (
    <TerminalView
      screen={screen}
      context={snapshot.context}
      busy={snapshot.matches('signingIn') || snapshot.matches({ signedIn: { working: 'acting' } })}
      lang={lang}
      onToggleLang={toggleLang}
      send={(event) => actor.send(event)}
      now={now}
    />
  );
}
