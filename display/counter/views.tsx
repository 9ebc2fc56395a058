import type { ComponentChildren, Ref } from 'preact';
import { useLayoutEffect, useRef, useState } from 'preact/hooks';
import {
  type CounterDetail,
  type CounterView,
  type HallInfo,
  type Lang,
  PAUSE_REASONS,
  type PauseReason,
  type Text,
} from '../../server/contract/api.ts';
import {
  COUNTER_STATUS_TEXT,
  PAUSE_REASON_TEXT,
  TICKET_STATUS_TEXT,
  TIER_TEXT,
} from '../../server/contract/labels.ts';
import { clockText, formatMinutes, minutesBetween } from '../common/format.ts';
import { pick } from '../common/text.tsx';
import { availableCommands, type Command, type CommandType } from './commands.ts';
import { keyLabel, shortcutFor } from './shortcuts.ts';
import { commandLabels, problemTexts, strings } from './strings.ts';
import type { Problem, TerminalContext, TerminalEvent } from './terminal.machine.ts';

export type Screen = 'starting' | 'waitingForServer' | 'signIn' | 'choosing' | 'working';

export type TerminalViewProps = {
  screen: Screen;
  context: TerminalContext;
  /** A sign-in or a command is on its way. */
  busy: boolean;
  lang: Lang;
  onToggleLang: () => void;
  send: (event: TerminalEvent) => void;
  /** The time the view measures waits against (ms). */
  now: number;
};

type Dialog = 'pause' | 'transfer' | 'finish';

function serviceName(hall: HallInfo | null, serviceId: string, lang: Lang): string {
  const service = hall?.services.find((s) => s.id === serviceId);
  return service ? pick(lang, service.name) : serviceId;
}

function ProblemBanner({
  problem,
  seatedElsewhere,
  lang,
  send,
}: {
  problem: Problem;
  /** Who is seated at the counter this terminal tried, when that was the refusal. */
  seatedElsewhere: CounterView | undefined;
  lang: Lang;
  send: (e: TerminalEvent) => void;
}) {
  // The server's message is English and technical: a detail for English readers only, except the one
  // every reader needs, who is seated at the counter, which the counter list tells in either language.
  const detail =
    problem.kind === 'forbidden' && seatedElsewhere?.staffName
      ? pick(lang, strings.staffedBy)
          .replace('{counter}', seatedElsewhere.name)
          .replace('{name}', seatedElsewhere.staffName)
      : lang === 'en'
        ? problem.message
        : '';
  return (
    <div class={`problem ${problem.kind}`} role="alert">
      <strong>{pick(lang, problemTexts[problem.kind])}</strong>
      {detail && <span class="detail">{detail}</span>}
      <button type="button" onClick={() => send({ type: 'DISMISS' })}>
        {pick(lang, strings.dismiss)}
      </button>
    </div>
  );
}

function SignIn({ busy, lang, send }: { busy: boolean; lang: Lang; send: (e: TerminalEvent) => void }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  return (
    <form
      class="sign-in"
      onSubmit={(e) => {
        e.preventDefault();
        if (username && password) send({ type: 'SIGN_IN', username: username.trim(), password });
      }}
    >
      <h2>{pick(lang, strings.signInTitle)}</h2>
      <label>
        {pick(lang, strings.username)}
        <input
          name="username"
          autocomplete="username"
          value={username}
          onInput={(e) => setUsername(e.currentTarget.value)}
          autoFocus
          required
        />
      </label>
      <label>
        {pick(lang, strings.password)}
        <input
          name="password"
          type="password"
          autocomplete="current-password"
          value={password}
          onInput={(e) => setPassword(e.currentTarget.value)}
          required
        />
      </label>
      <button type="submit" class="primary" disabled={busy}>
        {pick(lang, strings.signIn)}
      </button>
    </form>
  );
}

function CounterPicker({
  counters,
  hall,
  lang,
  send,
}: {
  counters: CounterView[];
  hall: HallInfo | null;
  lang: Lang;
  send: (e: TerminalEvent) => void;
}) {
  return (
    <section class="picker">
      <h2>{pick(lang, strings.chooseCounter)}</h2>
      <ul>
        {counters.map((c) => (
          <li key={c.id}>
            <button type="button" onClick={() => send({ type: 'CHOOSE', counterId: c.id })}>
              <span class="counter-name">{c.name}</span>
              <span class={`status ${c.status}`}>{pick(lang, COUNTER_STATUS_TEXT[c.status])}</span>
              {c.staffName && (
                <span class="staff">
                  {pick(lang, strings.inUseBy)}
                  {c.staffName}
                </span>
              )}
              <span class="services">
                {c.serviceIds.map((id) => serviceName(hall, id, lang)).join(' · ')}
              </span>
            </button>
          </li>
        ))}
      </ul>
    </section>
  );
}

function Customer({
  detail,
  hall,
  lang,
  now,
}: {
  detail: CounterDetail;
  hall: HallInfo | null;
  lang: Lang;
  now: number;
}) {
  const { ticket, explanation, customer } = detail;
  if (!ticket) {
    return (
      <section class="customer empty" aria-label="当前客户 Current customer">
        <p>{pick(lang, strings.noCustomer)}</p>
      </section>
    );
  }
  const waitedUntil = ticket.calledAt ? Date.parse(ticket.calledAt) : now;
  const status =
    ticket.status === 'called'
      ? strings.calledAwaitingCustomer
      : ticket.status === 'serving'
        ? TICKET_STATUS_TEXT.serving
        : null;
  return (
    <section class={`customer ${ticket.status}`} aria-label="当前客户 Current customer">
      <div class="number-row">
        <span class="number">{ticket.number}</span>
        {ticket.tier !== 'regular' && (
          <span class={`mark ${ticket.tier}`}>{pick(lang, TIER_TEXT[ticket.tier])}</span>
        )}
      </div>
      <div class="service">{serviceName(hall, ticket.serviceId, lang)}</div>
      {status && <div class="ticket-status">{pick(lang, status)}</div>}
      <dl>
        <dt>{pick(lang, strings.waited)}</dt>
        <dd>{formatMinutes(minutesBetween(ticket.issuedAt, waitedUntil), lang)}</dd>
        {ticket.calledAt && (
          <>
            <dt>{pick(lang, strings.calledAt)}</dt>
            <dd>{clockText(new Date(ticket.calledAt), hall?.timeZone)}</dd>
          </>
        )}
        {customer && (
          <>
            <dt>{pick(lang, strings.customer)}</dt>
            <dd class="identified">
              {[customer.maskedName, customer.maskedPhone].filter(Boolean).join(' · ')}
            </dd>
          </>
        )}
        {customer?.account && (
          <>
            <dt>{pick(lang, strings.account)}</dt>
            <dd class="account">
              {pick(lang, customer.account.plan)} · {pick(lang, strings.balance)} ¥
              {(customer.account.balanceFen / 100).toFixed(2)}
              {customer.account.billDueFen !== null &&
                ` · ${pick(lang, strings.billDue)} ¥${(customer.account.billDueFen / 100).toFixed(2)}`}
            </dd>
          </>
        )}
        {explanation && (
          <>
            <dt>{pick(lang, strings.why)}</dt>
            <dd class="reason">
              {pick(lang, explanation)}
              {explanation.passedOver.length > 0 && (
                <span class="passed-over">
                  {' '}
                  ({pick(lang, strings.passedOver)}: {explanation.passedOver.join(', ')})
                </span>
              )}
            </dd>
          </>
        )}
      </dl>
    </section>
  );
}

const ACTION_ORDER: CommandType[] = [
  'call',
  'recall',
  'start',
  'no-show',
  'transfer',
  'finish',
  'open',
  'pause',
  'resume',
  'close',
];

function Actions({
  available,
  busy,
  lang,
  run,
}: {
  available: ReadonlySet<CommandType>;
  busy: boolean;
  lang: Lang;
  run: (command: CommandType) => void;
}) {
  return (
    <section class="actions" aria-label="操作 Actions">
      {ACTION_ORDER.filter((c) => available.has(c)).map((c) => (
        <button type="button" key={c} class={`action ${c}`} disabled={busy} onClick={() => run(c)}>
          <span class="label">{pick(lang, commandLabels[c])}</span>
          {keyLabel(c) && <kbd>{keyLabel(c)}</kbd>}
        </button>
      ))}
    </section>
  );
}

function Queues({ detail, hall, lang }: { detail: CounterDetail; hall: HallInfo | null; lang: Lang }) {
  return (
    <section class="queues" aria-label="等候队列 Queues">
      <h2>{pick(lang, strings.queues)}</h2>
      <table>
        <thead>
          <tr>
            <th>{pick(lang, strings.service)}</th>
            <th>{pick(lang, strings.waitingCount)}</th>
            <th>{pick(lang, strings.longestWait)}</th>
          </tr>
        </thead>
        <tbody>
          {detail.queues.map((q) => {
            const target = hall?.services.find((s) => s.id === q.serviceId)?.waitTargetMinutes ?? 15;
            return (
              <tr
                key={q.serviceId}
                class={q.waiting > 0 && q.longestWaitMinutes > target ? 'over-target' : ''}
              >
                <th scope="row">{serviceName(hall, q.serviceId, lang)}</th>
                <td>{q.waiting}</td>
                <td>{q.waiting > 0 ? formatMinutes(q.longestWaitMinutes, lang) : '—'}</td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </section>
  );
}

/** A small modal whose choices are buttons numbered 1–9 and keys to match; Escape closes it. */
function ChoiceDialog({
  title,
  choices,
  lang,
  onChoose,
  onClose,
  extra,
  footer,
}: {
  title: Text;
  choices: { key: string; label: string }[];
  lang: Lang;
  onChoose: (key: string) => void;
  onClose: () => void;
  extra?: ComponentChildren;
  footer?: { label: Text; onEnter: () => void };
}) {
  // As in the workstation: one listener, there as soon as the dialog is, so "F" then "4" typed fast works.
  const latest = useRef({ choices, onChoose, onClose, footer });
  latest.current = { choices, onChoose, onClose, footer };
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const now = latest.current;
      if (e.key === 'Escape') now.onClose();
      else if (e.key === 'Enter' && now.footer && !(e.target instanceof HTMLButtonElement))
        now.footer.onEnter();
      else {
        const choice = /^[1-9]$/.test(e.key) ? now.choices[Number(e.key) - 1] : undefined;
        if (!choice) return;
        now.onChoose(choice.key);
      }
      e.preventDefault();
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);
  // Focus moves into the dialog (onto its Enter choice, if any), so Enter and Space act on the dialog,
  // not on the button that opened it.
  const focusTarget = useRef<HTMLElement>(null);
  useLayoutEffect(() => focusTarget.current?.focus(), []);
  return (
    <div class="dialog-backdrop">
      <div
        class="dialog"
        role="dialog"
        aria-modal="true"
        aria-label={pick(lang, title)}
        tabIndex={-1}
        ref={footer ? undefined : (focusTarget as Ref<HTMLDivElement>)}
      >
        <h2>{pick(lang, title)}</h2>
        <div class="choices">
          {choices.map((c, i) => (
            <button type="button" key={c.key} onClick={() => onChoose(c.key)}>
              <kbd>{i + 1}</kbd> {c.label}
            </button>
          ))}
        </div>
        {extra}
        <div class="dialog-footer">
          {footer && (
            <button
              type="button"
              class="primary"
              onClick={footer.onEnter}
              ref={focusTarget as Ref<HTMLButtonElement>}
            >
              {pick(lang, footer.label)} <kbd>Enter</kbd>
            </button>
          )}
          <button type="button" onClick={onClose}>
            {pick(lang, strings.cancel)} <kbd>Esc</kbd>
          </button>
        </div>
      </div>
    </div>
  );
}

function TransferDialog(props: {
  detail: CounterDetail;
  hall: HallInfo | null;
  lang: Lang;
  onTransfer: (serviceId: string, front: boolean) => void;
  onClose: () => void;
}) {
  const [front, setFront] = useState(false);
  const current = props.detail.ticket?.serviceId;
  const services = (props.hall?.services ?? []).filter((s) => s.id !== current);
  return (
    <ChoiceDialog
      title={strings.transferTitle}
      lang={props.lang}
      choices={services.map((s) => ({ key: s.id, label: pick(props.lang, s.name) }))}
      onChoose={(serviceId) => props.onTransfer(serviceId, front)}
      onClose={props.onClose}
      extra={
        <label class="front">
          <input type="checkbox" checked={front} onChange={(e) => setFront(e.currentTarget.checked)} />
          {pick(props.lang, strings.transferFront)}
        </label>
      }
    />
  );
}

function Workstation(props: TerminalViewProps & { detail: CounterDetail }) {
  const { context, detail, lang, send, busy } = props;
  const [dialog, setDialog] = useState<Dialog | null>(null);
  const available = availableCommands(detail);
  const command = (c: Command) => {
    setDialog(null);
    send({ type: 'COMMAND', command: c });
  };
  const run = (c: CommandType) => {
    if (c === 'pause' || c === 'transfer' || c === 'finish') setDialog(c);
    else command({ type: c } as Command);
  };

  // One listener for the workstation's life, reading the latest state through a ref; registered as a
  // layout effect so the shortcuts work from the moment the buttons are on screen.
  const latest = useRef({ available, busy, dialog, run });
  latest.current = { available, busy, dialog, run };
  useLayoutEffect(() => {
    const onKey = (e: KeyboardEvent) => {
      const now = latest.current;
      if (now.dialog || e.ctrlKey || e.altKey || e.metaKey || e.repeat) return;
      const target = e.target instanceof Element ? e.target : null;
      if (target?.closest('input, textarea, select')) return;
      // Space on a focused button presses that button; it must not also call the next customer.
      if (e.key === ' ' && target?.closest('button')) return;
      const c = shortcutFor(e.key, now.available);
      if (!c) return;
      e.preventDefault(); // F1 would open the browser's help
      if (!now.busy) now.run(c);
    };
    window.addEventListener('keydown', onKey);
    return () => window.removeEventListener('keydown', onKey);
  }, []);

  return (
    <div class="workstation">
      <div class="main-column">
        <Customer detail={detail} hall={context.hall} lang={lang} now={props.now} />
        {context.notice === 'nobody-waiting' && <p class="notice">{pick(lang, strings.nobodyWaiting)}</p>}
        <Actions available={available} busy={busy} lang={lang} run={run} />
      </div>
      <div class="side-column">
        <Queues detail={detail} hall={context.hall} lang={lang} />
        {context.lastFinished && (
          <p class="last-finished">
            {pick(lang, strings.lastFinished)} <strong>{context.lastFinished.number}</strong>{' '}
            {context.lastFinished.rating === null
              ? pick(lang, strings.notRated)
              : `${pick(lang, strings.rated)} ${'★'.repeat(context.lastFinished.rating)}`}
          </p>
        )}
      </div>
      {dialog === 'pause' && (
        <ChoiceDialog
          title={strings.pauseTitle}
          lang={lang}
          choices={PAUSE_REASONS.map((r) => ({ key: r, label: pick(lang, PAUSE_REASON_TEXT[r]) }))}
          onChoose={(reason) => command({ type: 'pause', reason: reason as PauseReason })}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'transfer' && (
        <TransferDialog
          detail={detail}
          hall={context.hall}
          lang={lang}
          onTransfer={(serviceId, front) => command({ type: 'transfer', serviceId, front })}
          onClose={() => setDialog(null)}
        />
      )}
      {dialog === 'finish' && (
        <ChoiceDialog
          title={strings.finishTitle}
          lang={lang}
          choices={[1, 2, 3, 4, 5].map((n) => ({ key: String(n), label: '★'.repeat(n) }))}
          onChoose={(n) => command({ type: 'finish', rating: Number(n) })}
          onClose={() => setDialog(null)}
          footer={{
            label: strings.finishWithoutRating,
            onEnter: () => command({ type: 'finish', rating: null }),
          }}
        />
      )}
    </div>
  );
}

function Header(props: TerminalViewProps) {
  const { context, lang, send, screen } = props;
  const counter = context.detail?.counter;
  return (
    <header>
      <h1>
        {pick(lang, strings.title)}
        {screen === 'working' && counter && (
          <>
            {' · '}
            <span class="counter-name">{counter.name}</span>{' '}
            <span class={`status ${counter.status}`}>{pick(lang, COUNTER_STATUS_TEXT[counter.status])}</span>
            {counter.status === 'paused' && counter.pauseReason && (
              <span class="pause-reason"> ({pick(lang, PAUSE_REASON_TEXT[counter.pauseReason])})</span>
            )}
          </>
        )}
      </h1>
      {context.user && <span class="user">{context.user.name}</span>}
      <button type="button" onClick={props.onToggleLang}>
        {pick(lang, strings.language)}
      </button>
      {screen === 'working' && (
        <button type="button" onClick={() => send({ type: 'CHANGE_COUNTER' })}>
          {pick(lang, strings.changeCounter)}
        </button>
      )}
      {context.user && (
        <button type="button" onClick={() => send({ type: 'SIGN_OUT' })}>
          {pick(lang, strings.signOut)}
        </button>
      )}
    </header>
  );
}

export function TerminalView(props: TerminalViewProps) {
  const { screen, context, lang, send } = props;
  return (
    <div class="terminal" lang={lang === 'zh' ? 'zh-CN' : 'en'}>
      <Header {...props} />
      {screen === 'working' && context.connection === 'lost' && (
        <div class="banner lost" role="status">
          {pick(lang, strings.connectionLost)}
        </div>
      )}
      {context.problem && (
        <ProblemBanner
          problem={context.problem}
          seatedElsewhere={context.counters.find((c) => c.id === context.counterId)}
          lang={lang}
          send={send}
        />
      )}
      <main>
        {screen === 'starting' && <p class="loading">{pick(lang, strings.loading)}</p>}
        {screen === 'waitingForServer' && (
          <p class="loading">
            {pick(lang, strings.waitingForServer)}{' '}
            <button type="button" onClick={() => send({ type: 'RETRY' })}>
              {pick(lang, strings.retryNow)}
            </button>
          </p>
        )}
        {screen === 'signIn' && <SignIn busy={props.busy} lang={lang} send={send} />}
        {screen === 'choosing' && (
          <CounterPicker counters={context.counters} hall={context.hall} lang={lang} send={send} />
        )}
        {screen === 'working' &&
          (context.detail ? (
            <Workstation {...props} detail={context.detail} />
          ) : (
            <p class="loading">{pick(lang, strings.loading)}</p>
          ))}
      </main>
    </div>
  );
}
