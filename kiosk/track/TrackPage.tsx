import type { ActorRefFrom } from 'xstate';
import type { TicketView } from '../../server/contract/api.ts';
import { Button } from '../components/Button.tsx';
import { format, LangContext, type Text } from '../i18n/index.ts';
import { s } from '../i18n/track.ts';
import { useSnapshot } from '../use-actor.ts';
import type { TrackContext, trackMachine } from './track.machine.ts';

type TrackRef = ActorRefFrom<typeof trackMachine>;

export function TrackPage({ actor }: { actor: TrackRef }) {
  const snapshot = useSnapshot(actor);
  const { context } = snapshot;
  const { lang, ticket } = context;
  const t = (text: Text, params?: Record<string, string | number>) => format(text, lang, params);
  const send = actor.send;

  let body = <p class="track-status">{t(s.loading)}</p>;
  if (snapshot.matches('reconnecting')) body = <p class="track-status">{t(s.reconnecting)}</p>;
  else if (snapshot.matches('notFound'))
    body = (
      <section class="track-ended">
        <h1>{t(s.notFound)}</h1>
        <p>{t(s.notFoundDetail)}</p>
      </section>
    );
  else if (ticket) body = <TicketState context={context} ticket={ticket} t={t} />;

  const confirming = snapshot.matches({ following: { cancel: 'confirming' } });
  return (
    <LangContext.Provider value={lang}>
      <div class="track" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        <header class="track-top">
          <span class="track-hall">{context.hallName ? t(context.hallName) : t(s.title)}</span>
          {snapshot.matches('following') && (
            <span class={`track-live ${context.connection}`} role="status">
              {context.connection === 'live' ? t(s.live) : t(s.reconnecting)}
            </span>
          )}
          <Button
            variant="quiet"
            onClick={() => send({ type: 'LANG.SET', lang: lang === 'zh' ? 'en' : 'zh' })}
          >
            {lang === 'zh' ? 'English' : '中文'}
          </Button>
        </header>
        <main>
          {body}
          {context.problem && snapshot.matches('following') && (
            <p class="problem" role="alert">
              {t(s.cancelFailed)}
            </p>
          )}
          {snapshot.can({ type: 'CANCEL.ASK' }) && (
            <Button variant="quiet" onClick={() => send({ type: 'CANCEL.ASK' })}>
              {t(s.cancel)}
            </Button>
          )}
          {confirming && (
            <div class="track-confirm" role="alertdialog" aria-label={t(s.cancelConfirm)}>
              <p>{t(s.cancelConfirm)}</p>
              <Button onClick={() => send({ type: 'CANCEL.KEEP' })}>{t(s.cancelNo)}</Button>
              <Button variant="primary" onClick={() => send({ type: 'CANCEL.CONFIRM' })}>
                {t(s.cancelYes)}
              </Button>
            </div>
          )}
          <a class="track-book" href="/book/">
            {t(s.bookLink)}
          </a>
        </main>
      </div>
    </LangContext.Provider>
  );
}

function TicketState({
  context,
  ticket,
  t,
}: {
  context: TrackContext;
  ticket: TicketView;
  t: (text: Text, params?: Record<string, string | number>) => string;
}) {
  const counter = context.counters.find((c) => c.id === ticket.counterId);
  // Counter names are Chinese ("3号窗口"); English readers get "counter 3".
  const counterLabel = t(s.counterEn, {
    name: counter?.name ?? ticket.counterId ?? '',
    id: ticket.counterId ?? '',
  });
  const service = context.services.find((x) => x.id === ticket.serviceId);
  const number = (
    <>
      <p class="track-label">{t(s.yourNumber)}</p>
      <p class="track-number">{ticket.number}</p>
      {service && <p class="track-service">{t(service.name)}</p>}
    </>
  );

  switch (ticket.status) {
    case 'called':
      return (
        <section class="track-called" aria-live="assertive">
          <p class="track-turn">{t(s.itsYourTurn)}</p>
          <h1 class="track-go">{t(s.goTo, { counter: counterLabel })}</h1>
          {number}
        </section>
      );
    case 'serving':
      return (
        <section class="track-card">
          {number}
          <p class="track-big">{t(s.serving, { counter: counterLabel })}</p>
        </section>
      );
    case 'done':
    case 'no-show':
    case 'cancelled':
      return (
        <section class="track-ended">
          {number}
          <h1>
            {t(ticket.status === 'done' ? s.done : ticket.status === 'no-show' ? s.noShow : s.cancelled)}
          </h1>
          {ticket.status === 'no-show' && <p>{t(s.noShowDetail)}</p>}
        </section>
      );
    default: {
      const ahead = Math.max(0, ticket.position - 1);
      return (
        <section class="track-card" aria-live="polite">
          {number}
          <p class="track-big">
            {ahead === 0 ? t(s.aheadNone) : ahead === 1 ? t(s.aheadOfYouOne) : t(s.aheadOfYou, { n: ahead })}
          </p>
          <p class="track-eta">
            {ticket.etaRange && ticket.etaRange.high > ticket.etaRange.low
              ? t(s.etaRange, ticket.etaRange)
              : t(s.eta, { n: ticket.etaMinutes })}
          </p>
          <p class="track-watch">{t(s.watch)}</p>
        </section>
      );
    }
  }
}
