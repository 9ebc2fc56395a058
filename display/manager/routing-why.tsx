import { useContext, useState } from 'preact/hooks';
import {
  CALL_RULE_TEXT,
  type RecordedCall,
  type RoutingWhyAnswer,
  type Text,
} from '../../server/contract/api.ts';
import { clockText } from '../common/format.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { hallToday } from './dates.ts';
import { ApiContext, errorText } from './use-api.ts';

/** The hall's rule, step by step, as a manager reads it (server/domain/routing.ts). */
export function routingSteps({ maxPassOvers, maxWaitFactor }: RoutingWhyAnswer['routing']): Text[] {
  return [
    {
      zh: `被跳过 ${maxPassOvers} 次的号，不再被排在它后面的号越过`,
      en: `A ticket passed over ${maxPassOvers} times is not passed over again by anyone who came after it`,
    },
    { zh: '转到队首的号', en: 'Tickets moved to the front of their queue' },
    {
      zh: '优先客户：贵宾、长辈、预约（爱心窗口长辈在先）',
      en: 'Priority customers: VIP, elderly, appointment (elderly first at the 爱心窗口)',
    },
    {
      zh: `等候超过目标时间 ${maxWaitFactor} 倍的号，先到先叫`,
      en: `Tickets that have waited ${maxWaitFactor} × their wait target, first come first`,
    },
    {
      zh: '即将超出目标（目标的最后三分之一）的号，最接近目标的先叫',
      en: 'Tickets about to miss their target (its last third), the nearest first',
    },
    {
      zh: '其余按到期时间（排队时间 + 目标）先后，已超时的在前',
      en: 'The rest by due time (when they joined plus their target): those past it first',
    },
  ];
}

const NO_RULE: Text = { zh: '未记录规则', en: 'rule not recorded' };

/** "Why was ticket X called after ticket Y": the rule that decided it, and each call's explanation. */
export function RoutingWhy({ hall }: { hall: HallState }) {
  const client = useContext(ApiContext);
  const tz = hall.hall.timeZone;
  const [answer, setAnswer] = useState<RoutingWhyAnswer | null>(null);
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const query = new URLSearchParams({
      day: String(form.get('day')),
      number: String(form.get('number')).trim().toUpperCase(),
    });
    const before = String(form.get('before') ?? '')
      .trim()
      .toUpperCase();
    if (before) query.set('before', before);
    try {
      setAnswer(await client.get<RoutingWhyAnswer>(`/routing/why?${query}`));
      setError(null);
    } catch (err) {
      setAnswer(null);
      setError(errorText(err));
    }
  };
  const at = (iso: string | null) => (iso ? clockText(new Date(iso), tz) : '—');
  const call = (c: RecordedCall) => (
    <li key={c.at}>
      {at(c.at)} · {c.counterName ?? c.counterId} ·{' '}
      <strong>
        <Bi text={c.rule ? CALL_RULE_TEXT[c.rule] : NO_RULE} />
      </strong>{' '}
      — <Bi text={{ zh: c.zh ?? '（未记录原因）', en: c.en ?? '(no reason recorded)' }} />
      {c.passedOver.length > 0 && (
        <span class="passed-over">
          {' '}
          <Bi
            text={{ zh: `越过：${c.passedOver.join('、')}`, en: `passed over: ${c.passedOver.join(', ')}` }}
          />
        </span>
      )}
    </li>
  );
  return (
    <section class="routing-why">
      <h2>
        <Bi text={{ zh: '叫号原因查询', en: 'Why was this ticket called?' }} />
      </h2>
      <form onSubmit={submit}>
        <label>
          <Bi text={{ zh: '日期', en: 'Day' }} />
          <input type="date" name="day" defaultValue={hallToday(tz)} required />
        </label>
        <label>
          <Bi text={{ zh: '号码', en: 'Ticket' }} />
          <input name="number" placeholder="A012" required pattern="[A-Za-z]{1,4}[0-9]{1,6}" />
        </label>
        <label>
          <Bi text={{ zh: '在此号之后', en: 'Called after' }} />
          <input name="before" placeholder="A010" pattern="[A-Za-z]{1,4}[0-9]{1,6}" />
        </label>
        <button type="submit">
          <Bi text={{ zh: '查询', en: 'Ask' }} />
        </button>
      </form>
      {error && <p role="alert">{error}</p>}
      {answer && (
        <div class="why-answer" aria-live="polite">
          {answer.verdict && (
            <p class="verdict">
              <strong>
                <Bi text={{ zh: '原因', en: 'Why' }} />
              </strong>{' '}
              {answer.verdict.rule && (
                <span class="verdict-rule">
                  <Bi text={CALL_RULE_TEXT[answer.verdict.rule]} />
                </span>
              )}{' '}
              <Bi text={answer.verdict} />
            </p>
          )}
          <p>
            <strong>{answer.ticket.number}</strong>{' '}
            <Bi
              text={{
                zh: `取号 ${at(answer.ticket.issuedAt)}，首次叫号 ${at(answer.ticket.calledAt)}`,
                en: `issued ${at(answer.ticket.issuedAt)}, first called ${at(answer.ticket.calledAt)}`,
              }}
            />
          </p>
          {answer.ticket.calls.length === 0 ? (
            <p>
              <Bi text={{ zh: '尚未叫号', en: 'Not called yet' }} />
            </p>
          ) : (
            <ul>{answer.ticket.calls.map(call)}</ul>
          )}
          {answer.before && (
            <p class="before">
              <strong>{answer.before.number}</strong>{' '}
              <Bi
                text={
                  answer.before.calledAt === null
                    ? { zh: '尚未叫号', en: 'not called yet' }
                    : answer.before.calledEarlier
                      ? {
                          zh: `已先于此号在 ${at(answer.before.calledAt)} 叫号`,
                          en: `was called earlier, at ${at(answer.before.calledAt)}`,
                        }
                      : {
                          zh: `在此号之后于 ${at(answer.before.calledAt)} 叫号`,
                          en: `was called after it, at ${at(answer.before.calledAt)}`,
                        }
                }
              />
              {answer.before.passedOverByThisCall && (
                <>
                  {' · '}
                  <Bi text={{ zh: '此次叫号越过了它', en: 'this call passed it over' }} />
                </>
              )}
            </p>
          )}
          <details class="routing-steps">
            <summary>
              <Bi text={{ zh: '叫号规则（依次）', en: 'How the queue decides, in order' }} />
            </summary>
            <ol>
              {routingSteps(answer.routing).map((step) => (
                <li key={step.en}>
                  <Bi text={step} />
                </li>
              ))}
            </ol>
          </details>
        </div>
      )}
    </section>
  );
}
