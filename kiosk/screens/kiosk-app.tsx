import type { ActorRefFrom } from 'xstate';
import { useActorSnapshot } from '../../display/common/use-actor.ts';
import type { Lang } from '../../server/contract/api.ts';
import { Button } from '../components/button.tsx';
import { Waiting } from '../components/screen.tsx';
import type { feedbackMachine } from '../flows/feedback.machine.ts';
import { type kioskMachine, warningMsOf } from '../flows/kiosk.machine.ts';
import type { selfServiceMachine } from '../flows/self-service.machine.ts';
import type { ticketMachine } from '../flows/ticket.machine.ts';
import { format, LangContext } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';
import { AttractScreen } from './attract-screen.tsx';
import { FeedbackScreen } from './feedback-screen.tsx';
import { HallContext } from './hall-context.ts';
import { SelfServiceScreen } from './self-service-screen.tsx';
import { StillThere } from './still-there.tsx';
import { TicketFlowScreen } from './ticket-flow-screen.tsx';

const LANG_NAMES: Record<Lang, string> = { zh: '中文', en: 'English' };

/** The whole kiosk: a top bar (hall, connection, language, home), the current step, the idle warning. */
export function KioskApp({ actor, origin }: { actor: ActorRefFrom<typeof kioskMachine>; origin: string }) {
  const snapshot = useActorSnapshot(actor);
  const { context } = snapshot;
  const { lang } = context;
  const send = actor.send;
  const t = (text: { zh: string; en: string }, params?: Record<string, number>) => format(text, lang, params);
  const inSession = snapshot.matches('session');

  let body = <Waiting title={t(snapshot.matches({ booting: 'waiting' }) ? s.reconnecting : s.connecting)} />;
  if (context.hall && context.kiosk) {
    const flow = snapshot.children.flow;
    if (snapshot.matches('attract')) body = <AttractScreen elderly={context.elderly} send={send} />;
    else if (flow && snapshot.matches({ session: { flow: 'feedback' } }))
      body = <FeedbackScreen actor={flow as ActorRefFrom<typeof feedbackMachine>} />;
    else if (flow && snapshot.matches({ session: { flow: 'selfService' } }))
      body = <SelfServiceScreen actor={flow as ActorRefFrom<typeof selfServiceMachine>} />;
    else if (flow) body = <TicketFlowScreen actor={flow as ActorRefFrom<typeof ticketMachine>} />;
  }

  const content = (
    <LangContext.Provider value={lang}>
      <div class={`kiosk${context.elderly ? ' elderly' : ''}`} lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        <header class="topbar">
          <span class="hall-name">{context.hall?.name[lang]}</span>
          {context.connection === 'lost' && snapshot.matches('attract') && (
            <span class="offline" role="status">
              {t(s.offlineBadge)}
            </span>
          )}
          <nav class="lang-switch" aria-label="Language / 语言">
            {(['zh', 'en'] as const).map((code) => (
              <Button
                key={code}
                variant="quiet"
                pressed={lang === code}
                onClick={() => send({ type: 'LANG.SET', lang: code })}
              >
                {LANG_NAMES[code]}
              </Button>
            ))}
          </nav>
          {inSession && (
            <Button variant="quiet" onClick={() => send({ type: 'HOME' })}>
              {t(s.home)}
            </Button>
          )}
        </header>
        <main>{body}</main>
        {snapshot.matches({ session: { presence: 'stillThere' } }) && (
          <StillThere
            seconds={Math.round(warningMsOf(context) / 1_000)}
            onHere={() => send({ type: 'ACTIVITY' })}
          />
        )}
      </div>
    </LangContext.Provider>
  );
  if (!context.hall || !context.kiosk) return content;
  return (
    <HallContext.Provider
      value={{ hall: context.hall, kiosk: context.kiosk, services: context.services, origin }}
    >
      {content}
    </HallContext.Provider>
  );
}
