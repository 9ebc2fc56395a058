import { useState } from 'preact/hooks';
import type { ActorRefFrom } from 'xstate';
import { useActorSnapshot } from '../../display/common/use-actor.ts';
import { MOBILE_PHONE } from '../../server/contract/api.ts';
import { Button, LanguageToggle } from '../components/button.tsx';
import { problemText, s as strings } from '../i18n/book.ts';
import { format, LangContext, type Text } from '../i18n/index.ts';
import type { BookContext, bookMachine } from './book.machine.ts';

type BookRef = ActorRefFrom<typeof bookMachine>;
type T = (text: Text, params?: Record<string, string | number>) => string;

/** `2026-11-26` → `11月26日 周四` / `Thu 26 Nov`, with 今天 / 明天 for the first two. */
function dayLabel(day: string, index: number, t: T, lang: 'zh' | 'en'): string {
  if (index === 0) return t(strings.today);
  if (index === 1) return t(strings.tomorrow);
  const date = new Date(`${day}T12:00:00Z`);
  return new Intl.DateTimeFormat(lang === 'zh' ? 'zh-CN' : 'en-GB', {
    timeZone: 'UTC',
    month: 'short',
    day: 'numeric',
    weekday: 'short',
  }).format(date);
}

/** Local time of an ISO instant in the hall's zone, `HH:MM`. */
function clock(iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone, hour: '2-digit', minute: '2-digit' }).format(
    new Date(iso),
  );
}

export function BookPage({ actor }: { actor: BookRef }) {
  const snapshot = useActorSnapshot(actor);
  const { context } = snapshot;
  const { lang } = context;
  const t: T = (text, params) => format(text, lang, params);
  const send = actor.send;

  let body = <p class="book-status">{t(strings.loading)}</p>;
  if (snapshot.matches('failed'))
    body = (
      <section class="book-card">
        <p class="problem" role="alert">
          {t(problemText(context.problem ?? 'unexpected'))}
        </p>
        <Button variant="primary" onClick={() => send({ type: 'RETRY' })}>
          {t(strings.retry)}
        </Button>
      </section>
    );
  else if (snapshot.matches('service') && context.hall)
    body = (
      <section class="book-card">
        <h1>{t(strings.step1)}</h1>
        <div class="book-choices">
          {context.hall.services.map((service) => (
            <Button key={service.id} onClick={() => send({ type: 'SERVICE.CHOOSE', serviceId: service.id })}>
              {t(service.name)}
            </Button>
          ))}
        </div>
      </section>
    );
  else if (snapshot.matches('slots'))
    body = <Slots snapshot={snapshot} context={context} t={t} send={send} />;
  else if (snapshot.matches('phone') || snapshot.matches('booking'))
    body = <Phone context={context} busy={snapshot.matches('booking')} t={t} send={send} />;
  else if (snapshot.matches('booked') && context.answer) {
    const zone = context.hall?.timeZone ?? 'Asia/Shanghai';
    const answer = context.answer;
    body = (
      <section class="book-card book-done" aria-live="polite">
        <h1>{t(strings.booked)}</h1>
        <p class="book-chosen">{chosenText(context, t)}</p>
        <p class="book-label">{t(strings.codeLabel)}</p>
        <p class="book-code">{answer.code}</p>
        <p>{t(strings.codeSent, { phone: answer.maskedPhone })}</p>
        <p>
          {t(strings.window, {
            from: clock(answer.checkInFrom, zone),
            until: clock(answer.checkInUntil, zone),
          })}
        </p>
        <Button onClick={() => send({ type: 'AGAIN' })}>{t(strings.again)}</Button>
      </section>
    );
  }

  return (
    <LangContext.Provider value={lang}>
      <div class="book" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
        <header class="book-top">
          <span class="book-hall">{context.hall ? t(context.hall.name) : t(strings.title)}</span>
          <LanguageToggle send={send} lang={lang} />
        </header>
        <main>{body}</main>
      </div>
    </LangContext.Provider>
  );
}

function chosenText(context: BookContext, t: T): string {
  const service = context.hall?.services.find((x) => x.id === context.serviceId);
  const slot = context.slots?.slots.find((x) => x.slot === context.slot);
  const index = context.slots?.days.indexOf(context.day ?? '') ?? -1;
  return t(strings.chosen, {
    service: service ? t(service.name) : '',
    day: context.day ? dayLabel(context.day, index, t, context.lang) : '',
    time: slot?.time ?? (context.slot ? clock(context.slot, context.hall?.timeZone ?? 'Asia/Shanghai') : ''),
  });
}

function Slots({
  snapshot,
  context,
  t,
  send,
}: {
  snapshot: ReturnType<BookRef['getSnapshot']>;
  context: BookContext;
  t: T;
  send: BookRef['send'];
}) {
  const slots = context.slots;
  return (
    <section class="book-card">
      <h1>{t(strings.step2)}</h1>
      {context.problem && (
        <p class="problem" role="alert">
          {t(problemText(context.problem))}
        </p>
      )}
      {slots && (
        <div class="book-days">
          {slots.days.map((day, i) => (
            <Button
              key={day}
              variant="quiet"
              pressed={day === context.day}
              onClick={() => send({ type: 'DAY.CHOOSE', day })}
            >
              {dayLabel(day, i, t, context.lang)}
            </Button>
          ))}
        </div>
      )}
      {snapshot.matches({ slots: 'failed' }) ? (
        <Button variant="primary" onClick={() => send({ type: 'RETRY' })}>
          {t(strings.retry)}
        </Button>
      ) : snapshot.matches({ slots: 'loading' }) || !slots ? (
        <p class="book-status">{t(strings.loading)}</p>
      ) : slots.slots.length === 0 ? (
        <p>{t(strings.noSlots)}</p>
      ) : (
        <div class="book-slots">
          {slots.slots.map((slot) => (
            <Button
              key={slot.slot}
              sub={t(strings.left, { n: slot.remaining })}
              onClick={() => send({ type: 'SLOT.CHOOSE', slot: slot.slot })}
            >
              {slot.time}
            </Button>
          ))}
        </div>
      )}
      <Button variant="quiet" onClick={() => send({ type: 'BACK' })}>
        {t(strings.back)}
      </Button>
    </section>
  );
}

function Phone({
  context,
  busy,
  t,
  send,
}: {
  context: BookContext;
  busy: boolean;
  t: T;
  send: BookRef['send'];
}) {
  const [phone, setPhone] = useState(context.phone);
  const [invalid, setInvalid] = useState(false);
  const submit = () => {
    const digits = phone.replace(/[\s-]/g, '');
    if (!MOBILE_PHONE.test(digits)) {
      setInvalid(true);
      return;
    }
    setInvalid(false);
    send({ type: 'PHONE.SUBMIT', phone: digits });
  };
  return (
    <section class="book-card">
      <h1>{t(strings.step3)}</h1>
      <p class="book-chosen">{chosenText(context, t)}</p>
      <form
        class="book-form"
        onSubmit={(e) => {
          e.preventDefault();
          submit();
        }}
      >
        <label for="book-phone">{t(strings.phoneLabel)}</label>
        <input
          id="book-phone"
          class="book-phone"
          type="tel"
          inputMode="numeric"
          autoComplete="tel"
          maxLength={13}
          placeholder={t(strings.phoneHint)}
          value={phone}
          onInput={(e) => setPhone(e.currentTarget.value)}
          aria-invalid={invalid}
        />
        {invalid && (
          <p class="problem" role="alert">
            {t(strings.badPhone)}
          </p>
        )}
        {context.problem && !invalid && (
          <p class="problem" role="alert">
            {t(problemText(context.problem))}
          </p>
        )}
        <Button variant="primary" disabled={busy} onClick={submit}>
          {busy ? t(strings.booking) : t(strings.book)}
        </Button>
      </form>
      <Button variant="quiet" onClick={() => send({ type: 'BACK' })}>
        {t(strings.back)}
      </Button>
    </section>
  );
}
