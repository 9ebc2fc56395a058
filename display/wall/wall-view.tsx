import { useEffect, useState } from 'preact/hooks';
import { CALL_SHOWN_MS, type CallNotice, type ServiceView, type Text } from '../../server/contract/api.ts';
import type { ConnectionState } from '../../server/contract/client.ts';
import { waitWording } from '../../server/contract/wait-wording.ts';
import { clockText, dateText, hallDay } from '../common/format.ts';
import { callKey, type HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { counterNumber } from './announce/clips.ts';
import type { Notice } from './notices.ts';

export const RECENT_CALLS_SHOWN = 8;
const NOTICE_ROTATION_MS = 12_000;

export type WallViewProps = {
  hall: HallState | null;
  /** The server's time now (epoch ms), estimated on this screen: calls age by it, the clock shows it. */
  now: number;
  connection: ConnectionState;
  /** Counter ids this screen covers; null = the whole hall. */
  zone: ReadonlySet<string> | null;
  /** null hides the notices area. */
  notices: Notice[] | null;
  /** The browser refused to start audio without a tap (no autoplay flag): offer the tap. */
  soundBlocked: boolean;
  onEnableSound: () => void;
};

function counterText(call: CallNotice): Text {
  const n = counterNumber(call);
  return { zh: call.counterName, en: n === null ? call.counterName : `Counter ${n}` };
}

/**
 * The calls this screen shows: its zone's, of the hall's day, newest first, a recalled number once (its
 * latest call).
 */
export function visibleCalls(hall: HallState, zone: ReadonlySet<string> | null, now: number): CallNotice[] {
  const seen = new Set<string>();
  const today = hallDay(now, hall.hall.timeZone);
  return hall.calls.filter((call) => {
    if (zone && !zone.has(call.counterId)) return false;
    if (hallDay(Date.parse(call.at), hall.hall.timeZone) !== today) return false;
    const key = `${call.number}|${call.counterId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}

/**
 * The call to show large: the newest of this zone whose ticket is still called, for at most
 * CALL_SHOWN_MS after it was made; none once it is served, finished, a no-show, moved or gone.
 */
export function currentCall(
  hall: HallState,
  zone: ReadonlySet<string> | null,
  now: number,
): CallNotice | undefined {
  return hall.calling.find(
    (call) => (!zone || zone.has(call.counterId)) && now - Date.parse(call.at) < CALL_SHOWN_MS,
  );
}

/** The open services of this screen's zone: those its counters serve. */
export function visibleServices(hall: HallState, zone: ReadonlySet<string> | null): ServiceView[] {
  const open = hall.services.filter((s) => s.open);
  if (!zone) return open;
  const served = new Set(hall.counters.filter((c) => zone.has(c.id)).flatMap((c) => c.serviceIds));
  return open.filter((s) => served.has(s.id));
}

function CurrentCall({ call }: { call: CallNotice | undefined }) {
  if (!call) {
    return (
      <section class="current idle" aria-label="当前呼叫 Now calling">
        <Bi class="idle-text" text={{ zh: '欢迎光临', en: 'Welcome' }} />
      </section>
    );
  }
  // Keyed by the call: a new call (or a recall) remounts the panel, which restarts the blink.
  return (
    <section
      class="current blink"
      key={callKey(call)}
      aria-live="assertive"
      aria-label="当前呼叫 Now calling"
    >
      <Bi
        class="current-label"
        text={call.recall ? { zh: '再次呼叫', en: 'Calling again' } : { zh: '请', en: 'Now calling' }}
      />
      <div class="current-number">{call.number}</div>
      <div class="current-counter">
        <span class="arrow" aria-hidden="true">
          →
        </span>
        <Bi text={counterText(call)} />
      </div>
    </section>
  );
}

function RecentCalls({ calls }: { calls: CallNotice[] }) {
  return (
    <section class="recent" aria-label="最近呼叫 Recent calls">
      <Bi class="section-title" text={{ zh: '最近呼叫', en: 'Recent calls' }} />
      <ol>
        {calls.map((call) => (
          <li key={callKey(call)}>
            <span class="recent-number">{call.number}</span>
            <Bi class="recent-counter" text={counterText(call)} />
          </li>
        ))}
      </ol>
    </section>
  );
}

function Services({ services, now, timeZone }: { services: ServiceView[]; now: number; timeZone: string }) {
  return (
    <section class="services" aria-label="等候情况 Waiting">
      <ul>
        {services.map((s) => {
          const wording = waitWording({ ...s, position: null }, { now, timeZone });
          return (
            <li key={s.id} class={wording.servedNow ? undefined : 'not-served'}>
              <Bi class="service-name" text={s.name} />
              <div class="waiting">
                <span class="figure">{s.waiting}</span>
                <Bi text={{ zh: '人等候', en: 'waiting' }} />
              </div>
              {(s.waiting > 0 || !wording.servedNow) && <Bi class="eta" text={wording.short} />}
            </li>
          );
        })}
      </ul>
    </section>
  );
}

function Notices({ notices }: { notices: Notice[] }) {
  const [index, setIndex] = useState(0);
  useEffect(() => {
    if (notices.length < 2) return;
    const timer = setInterval(() => setIndex((i) => i + 1), NOTICE_ROTATION_MS);
    return () => clearInterval(timer);
  }, [notices.length]);
  const notice = notices[index % notices.length];
  if (!notice) return null;
  return (
    <section class="notices" aria-label="公告 Notices">
      {notice.imageUrl && <img src={notice.imageUrl} alt="" />}
      <Bi text={notice.text} />
    </section>
  );
}

function Clock({ now, timeZone }: { now: number; timeZone: string | undefined }) {
  return (
    <div class="clock">
      <Bi class="date" text={dateText(new Date(now), timeZone)} />
      <time class="time">{clockText(new Date(now), timeZone)}</time>
    </div>
  );
}

export function WallView(props: WallViewProps) {
  const { hall, zone, now } = props;
  const current = hall ? currentCall(hall, zone, now) : undefined;
  const recent = hall ? visibleCalls(hall, zone, now).filter((c) => c.number !== current?.number) : [];
  return (
    <div class="wall">
      {props.connection === 'lost' && (
        <div class="banner lost" role="alert">
          <Bi text={{ zh: '连接中断，正在重新连接…', en: 'Connection lost, reconnecting…' }} />
        </div>
      )}
      <header>
        <h1>{hall ? <Bi text={hall.hall.name} /> : <Bi text={{ zh: '排队叫号', en: 'Queue' }} />}</h1>
        {zone && (
          <div class="zone">
            <Bi text={{ zh: `窗口 ${[...zone].join('、')}`, en: `Counters ${[...zone].join(', ')}` }} />
          </div>
        )}
        <Clock now={now} timeZone={hall?.hall.timeZone} />
      </header>
      {hall ? (
        <main>
          <CurrentCall call={current} />
          <RecentCalls calls={recent.slice(0, RECENT_CALLS_SHOWN)} />
          <Services services={visibleServices(hall, zone)} now={now} timeZone={hall.hall.timeZone} />
        </main>
      ) : (
        <main class="connecting">
          <Bi text={{ zh: '正在连接…', en: 'Connecting…' }} />
        </main>
      )}
      {props.notices && props.notices.length > 0 && <Notices notices={props.notices} />}
      {props.soundBlocked && (
        <button type="button" class="enable-sound" onClick={props.onEnableSound}>
          <Bi text={{ zh: '点击此处开启叫号声音', en: 'Tap to enable sound' }} />
        </button>
      )}
    </div>
  );
}
