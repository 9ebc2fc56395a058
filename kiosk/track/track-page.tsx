import { useEffect, useState } from 'preact/hooks';
import type { ActorRefFrom } from 'xstate';
import { useActorSnapshot } from '../../display/common/use-actor.ts';
import { type TicketView, TURN_ALERT_AHEAD } from '../../server/contract/api.ts';
import { waitWording } from '../../server/contract/wait-wording.ts';
import { Button, LanguageToggle } from '../components/button.tsx';
import { format, LangContext, type Text } from '../i18n/index.ts';
import { s, smsProblems } from '../i18n/track.ts';
import type { TrackContext, trackMachine } from './track.machine.ts';

type TrackRef = ActorRefFrom<typeof trackMachine>;
type T = (text: Text, params?: Record<string, string | number>) => string;

const PAGE_TITLE = document.title;

/** Counter names are Chinese ("3号窗口"); English readers get "counter 3". */
function counterLabel(context: TrackContext, t: T): string {
  const id = context.ticket?.counterId ?? '';
  const counter = context.counters.find((c) => c.id === id);
  return t(s.counterEn, { name: counter?.name ?? id, id });
}

/** What a call says outside the page: the notification, and the tab's title. */
export function callMessage(context: TrackContext): { title: string; body: string } {
  const t: T = (text, params) => format(text, context.lang, params);
  const params = { number: context.ticket?.number ?? '', counter: counterLabel(context, t) };
  return { title: t(s.calledTitle, params), body: t(s.calledBody, params) };
}

/** The tab's title follows the ticket: its place while waiting, the counter once called. */
function useTitle(context: TrackContext): void {
  const { ticket, lang } = context;
  useEffect(() => {
    if (!ticket) return;
    const t: T = (text, params) => format(text, lang, params);
    if (ticket.status === 'called') document.title = callMessage(context).title;
    else if (ticket.status === 'waiting') {
      const place = waitWording(ticket, { now: Date.now(), timeZone: context.timeZone }).place;
      document.title = t(s.pageTitle, { number: ticket.number, place: t(place) });
    } else document.title = PAGE_TITLE;
  });
}

export function TrackPage({ actor }: { actor: TrackRef }) {
  const snapshot = useActorSnapshot(actor);
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

  useTitle(context);
  const confirming = snapshot.matches({ following: { cancel: 'confirming' } });
  const waiting = snapshot.matches('following') && ticket?.status === 'waiting';
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
          <LanguageToggle send={send} lang={lang} />
        </header>
        <main>
          {body}
          {waiting && (
            <>
              <AlertsPanel
                context={context}
                enabling={snapshot.matches({ following: { alerts: 'enabling' } })}
                send={send}
                t={t}
              />
              <TextPanel
                context={context}
                busy={!snapshot.matches({ following: { text: 'shown' } })}
                send={send}
                t={t}
              />
            </>
          )}
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

function TicketState({ context, ticket, t }: { context: TrackContext; ticket: TicketView; t: T }) {
  const counter = counterLabel(context, t);
  const service = context.services.find((x) => x.id === ticket.serviceId);
  // The page's heading is "your number" unless the state has one of its own (the call, the end).
  const Label = ticket.status === 'waiting' || ticket.status === 'serving' ? 'h1' : 'p';
  const number = (
    <>
      <Label class="track-label">{t(s.yourNumber)}</Label>
      <p class="track-number">{ticket.number}</p>
      {service && <p class="track-service">{t(service.name)}</p>}
    </>
  );

  switch (ticket.status) {
    case 'called':
      return (
        <section class="track-called" aria-live="assertive">
          <p class="track-turn">{t(s.itsYourTurn)}</p>
          <h1 class="track-go">{t(s.goTo, { counter })}</h1>
          {number}
        </section>
      );
    case 'serving':
      return (
        <section class="track-card">
          {number}
          <p class="track-big">{t(s.serving, { counter })}</p>
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
      const wait = waitWording(ticket, { now: Date.now(), timeZone: context.timeZone });
      return (
        <section class="track-card" aria-live="polite">
          {number}
          <p class="track-big">{t(wait.place)}</p>
          {wait.estimate && <p class="track-eta">{t(wait.estimate)}</p>}
          {wait.basis && <p class={wait.servedNow ? 'track-basis' : 'track-basis notice'}>{t(wait.basis)}</p>}
          <p class="track-watch">{t(s.watch)}</p>
        </section>
      );
    }
  }
}

/** One tap for sound and notifications, then what the phone allowed. */
function AlertsPanel({
  context,
  enabling,
  send,
  t,
}: {
  context: TrackContext;
  enabling: boolean;
  send: TrackRef['send'];
  t: T;
}) {
  const { alerts } = context;
  return (
    <section class="track-panel" aria-labelledby="alerts-title">
      <h2 id="alerts-title">{t(s.alertsTitle)}</h2>
      {alerts ? (
        <p role="status">
          {t(alerts.sound ? s.alertsOn : s.alertsNoSound)}{' '}
          {t(alerts.notifications === 'granted' ? s.notificationsOn : s.notificationsOff)}
        </p>
      ) : (
        <>
          <p>{t(s.enableAlertsSub)}</p>
          <Button variant="primary" disabled={enabling} onClick={() => send({ type: 'ALERTS.ENABLE' })}>
            {t(s.enableAlerts)}
          </Button>
        </>
      )}
    </section>
  );
}

/** The text when the turn is near: a number to type, or what became of the request. */
function TextPanel({
  context,
  busy,
  send,
  t,
}: {
  context: TrackContext;
  busy: boolean;
  send: TrackRef['send'];
  t: T;
}) {
  const [phone, setPhone] = useState('');
  const alert = context.turnAlert;
  const ahead = Math.max(0, (context.ticket?.position ?? 0) - 1);
  const params = { n: TURN_ALERT_AHEAD, phone: alert?.maskedPhone ?? '' };
  if (alert?.state === 'sent')
    return (
      <p class="track-panel" role="status">
        {t(s.smsSent, params)}
      </p>
    );
  if (alert?.state === 'failed') return <p class="track-panel notice">{t(s.smsFailed)}</p>;
  if (alert?.state === 'armed')
    return (
      <section class="track-panel" aria-labelledby="sms-title">
        <h2 id="sms-title">{t(s.smsTitle)}</h2>
        <p role="status">{t(s.smsArmed, params)}</p>
        <Button variant="quiet" disabled={busy} onClick={() => send({ type: 'SMS.CANCEL' })}>
          {t(s.smsWithdraw)}
        </Button>
      </section>
    );
  // Too near already: the page's own alert is what counts now.
  if (ahead <= TURN_ALERT_AHEAD) return null;
  const problem = context.smsProblem && (smsProblems[context.smsProblem] ?? smsProblems.unexpected!);
  return (
    <form
      class="track-panel"
      aria-labelledby="sms-title"
      onSubmit={(e) => {
        e.preventDefault();
        send({ type: 'SMS.REQUEST', phone });
      }}
    >
      <h2 id="sms-title">{t(s.smsTitle)}</h2>
      {alert?.state === 'lost' && <p class="notice">{t(s.smsLost)}</p>}
      <label for="sms-phone">{t(s.smsLead, params)}</label>
      {alert?.identifiedPhone && (
        <p class="track-hint">{t(s.smsIdentified, { phone: alert.identifiedPhone })}</p>
      )}
      <input
        id="sms-phone"
        type="tel"
        inputMode="numeric"
        autoComplete="tel"
        maxLength={11}
        placeholder={t(s.phoneLabel)}
        value={phone}
        onInput={(e) => setPhone(e.currentTarget.value.replace(/\D/g, ''))}
      />
      {problem && (
        <p class="problem" role="alert">
          {t(problem)}
        </p>
      )}
      <button type="submit" class="btn btn-secondary" disabled={busy || phone.length !== 11}>
        <span class="btn-label">{t(s.smsSubmit)}</span>
      </button>
    </form>
  );
}
