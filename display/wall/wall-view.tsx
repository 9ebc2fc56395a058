import { useEffect, useState } from 'preact/hooks';
import type { CallNotice, ServiceView, Text } from '../../server/contract/api.ts';
import type { ConnectionState } from '../../server/contract/client.ts';
import { clockText, dateText, etaRangeText } from '../common/format.ts';
import { callKey, type HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { counterNumber } from './announce/clips.ts';
import type { Notice } from './notices.ts';

export const RECENT_CALLS_SHOWN = 8;
const NOTICE_ROTATION_MS = 12_000;

export type WallViewProps = {
  hall: HallState | null;
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

/** The calls this screen shows: its zone's, newest first, a recalled number once (its latest call). */
export function visibleCalls(hall: HallState, zone: ReadonlySet<string> | null): CallNotice[] {
  const seen = new Set<string>();
  return hall.calls.filter((call) => {
    if (zone && !zone.has(call.counterId)) return false;
    const key = `${call.number}|${call.counterId}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
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

function Services({ services }: { services: ServiceView[] }) {
  return (
    <section class="services" aria-label="等候情况 Waiting">
      <ul>
        {services.map((s) => {
          return (
            <li key={s.id}>
              <Bi class="service-name" text={s.name} />
              <div class="waiting">
                <span class="figure">{s.waiting}</span>
                <Bi text={{ zh: '人等候', en: 'waiting' }} />
              </div>
              {s.waiting > 0 && <Bi class="eta" text={etaRangeText(s.etaMinutes, s.etaRange)} />}
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

function Clock({ timeZone }: { timeZone: string | undefined }) {
  const [now, setNow] = useState(() => new Date());
  useEffect(() => {
    const timer = setInterval(() => setNow(new Date()), 1_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div class="clock">
      <Bi class="date" text={dateText(now, timeZone)} />
      <time class="time">{clockText(now, timeZone)}</time>
    </div>
  );
}

export function WallView(props: WallViewProps) {
  const { hall, zone } = props;
  const calls = hall ? visibleCalls(hall, zone) : [];
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
        <Clock timeZone={hall?.hall.timeZone} />
      </header>
      {hall ? (
        <main>
          <CurrentCall call={calls[0]} />
          <RecentCalls calls={calls.slice(1, 1 + RECENT_CALLS_SHOWN)} />
          <Services services={visibleServices(hall, zone)} />
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
