import { useEffect, useState } from 'preact/hooks';
import type {
  CounterView,
  HealthAnswer,
  PredictedBreach,
  ServiceView,
  StatsSummary,
} from '../../server/contract/api.ts';
import { DEVICE_USABLE_STATUSES } from '../../server/contract/devices.ts';
import type { SmsOutboxMessage } from '../../server/contract/kiosk.ts';
import {
  COUNTER_STATUS_TEXT,
  DEVICE_KIND_TEXT,
  DEVICE_STATUS_TEXT,
  PAUSE_REASON_TEXT,
} from '../../server/contract/labels.ts';
import type { DevicesAnswer } from '../../server/contract/manager.ts';
import { waitWording } from '../../server/contract/wait-wording.ts';
import { clockText, minutesText } from '../common/format.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { hallToday } from './dates.ts';
import { HealthPanel } from './health-panel.tsx';
import { HqLink } from './hq-link.tsx';
import { fig, Kpi } from './parts.tsx';
import { useGet } from './use-api.ts';

export type Breach = {
  service: ServiceView;
  /** What is over the target: the wait so far, the estimate for a newcomer, or both. */
  longest: boolean;
  eta: boolean;
  /** People wait, and no open counter serves the service: its estimate has no basis. */
  unserved: boolean;
  /** Waiting tickets forecast to miss the target (by the median; `atRisk` by the p90), when forecast. */
  predicted: { likely: number; atRisk: number } | null;
  /** Closed counters that serve this service: where to open one. */
  closedCounters: CounterView[];
};

/**
 * Services whose longest wait or estimated wait is over their wait target, or with waiting tickets
 * forecast to miss it (`GET /queue/breaches`), worst first.
 */
export function predictedBreaches(
  services: readonly ServiceView[],
  counters: readonly CounterView[],
  forecast: readonly PredictedBreach[] | null = null,
): Breach[] {
  return services
    .filter((s) => s.waiting > 0)
    .map((service) => {
      const f = forecast?.find((b) => b.serviceId === service.id);
      const unserved = service.outlook?.servedNow === false;
      return {
        service,
        longest: service.longestWaitMinutes > service.waitTargetMinutes,
        eta: !unserved && service.etaMinutes > service.waitTargetMinutes,
        unserved,
        predicted: f && (f.likely > 0 || f.atRisk > 0) ? { likely: f.likely, atRisk: f.atRisk } : null,
        closedCounters: counters.filter((c) => c.status === 'closed' && c.serviceIds.includes(service.id)),
      };
    })
    .filter((b) => b.longest || b.eta || b.unserved || b.predicted !== null)
    .sort((a, b) => urgency(b) - urgency(a));
}

/** Unserved queues first, then by how far over its target the worse of the two waits is. */
function urgency(b: Breach): number {
  if (b.unserved) return Number.POSITIVE_INFINITY;
  const s = b.service;
  return Math.max(s.longestWaitMinutes, s.etaMinutes) / s.waitTargetMinutes;
}

export function Breaches({
  hall,
  forecast = null,
}: {
  hall: HallState;
  forecast?: readonly PredictedBreach[] | null;
}) {
  const breaches = predictedBreaches(hall.services, hall.counters, forecast);
  if (breaches.length === 0)
    return (
      <p class="all-good">
        <Bi
          text={{ zh: '各业务预计都在等候目标内', en: 'Every service is expected within its wait target' }}
        />
      </p>
    );
  return (
    <ul class="breaches" aria-label="predicted breaches">
      {breaches.map(({ service: s, longest, eta, unserved, predicted, closedCounters }) => (
        <li key={s.id}>
          <strong>
            <Bi text={s.name} />
          </strong>{' '}
          <span>
            {unserved && (
              <Bi
                text={{
                  zh: `${s.waiting} 人在等，暂无开放窗口办理`,
                  en: `${s.waiting} waiting, no counter open for it`,
                }}
              />
            )}
            {unserved && (longest || predicted) && ' · '}
            {longest && (
              <Bi
                text={{
                  zh: `最长已等 ${minutesText(s.longestWaitMinutes).zh}`,
                  en: `longest wait ${minutesText(s.longestWaitMinutes).en}`,
                }}
              />
            )}
            {longest && eta && ' · '}
            {eta && (
              <Bi
                text={{
                  zh: `新取号预计 ${minutesText(s.etaMinutes).zh}`,
                  en: `new tickets ~${minutesText(s.etaMinutes).en}`,
                }}
              />
            )}
            {(longest || eta) && predicted && ' · '}
            {predicted && (
              <span class="predicted">
                <Bi
                  text={{
                    zh: `预计超时 ${predicted.likely} 人${predicted.atRisk > predicted.likely ? `（另有 ${predicted.atRisk - predicted.likely} 人有风险）` : ''}`,
                    en: `${predicted.likely} predicted to miss the target${predicted.atRisk > predicted.likely ? ` (${predicted.atRisk - predicted.likely} more at risk)` : ''}`,
                  }}
                />
              </span>
            )}{' '}
            <Bi
              text={{ zh: `（目标 ${s.waitTargetMinutes} 分钟）`, en: `(target ${s.waitTargetMinutes} min)` }}
            />
          </span>
          <p class="prompt">
            {closedCounters.length > 0 ? (
              <Bi
                text={{
                  zh: `建议开放窗口：${closedCounters.map((c) => c.name).join('、')}`,
                  en: `Open a counter: ${closedCounters.map((c) => c.name).join(', ')}`,
                }}
              />
            ) : (
              <Bi
                text={{
                  zh: '能办理此业务的窗口都已开放：请增派人手或调配其他窗口',
                  en: 'Every counter for this service is open: add staff or move a counter over',
                }}
              />
            )}
          </p>
        </li>
      ))}
    </ul>
  );
}

/** Whole minutes from an ISO time to now (the tab re-renders every 30 s). */
const minutesSince = (iso: string) => Math.max(0, Math.floor((Date.now() - Date.parse(iso)) / 60_000));

export function LiveTab({ hall, deviceVersion }: { hall: HallState; deviceVersion: number }) {
  const [tick, setTick] = useState(0);
  // Figures of today are re-read every 30 s and whenever a counter's ticket changes.
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), 30_000);
    return () => clearInterval(timer);
  }, []);
  const day = hallToday(hall.hall.timeZone);
  const ended = hall.counters.map((c) => c.currentTicket).join();
  const summary = useGet<StatsSummary>(`/stats/summary?from=${day}&to=${day}`, `${ended}|${tick}`).data;
  const devices = useGet<DevicesAnswer>('/devices', deviceVersion);
  const outbox = useGet<SmsOutboxMessage[]>(hall.hall.demo ? '/sms/outbox' : null, tick);
  // The forecast misses, re-read as the queue changes (and every 30 s as waits grow).
  const queue = hall.services.map((s) => s.waiting).join();
  const forecast = useGet<PredictedBreach[]>('/queue/breaches', `${ended}|${queue}|${tick}`).data;
  const health = useGet<HealthAnswer>('/health', `${deviceVersion}|${tick}`).data;
  const now = Date.now();

  return (
    <>
      <HealthPanel health={health} />
      <section>
        <h2>
          <Bi text={{ zh: '今日概况', en: 'Today' }} />
        </h2>
        {summary && (
          <div class="kpis">
            <Kpi label={{ zh: '取号', en: 'Tickets' }} value={String(summary.tickets)} />
            <Kpi label={{ zh: '已办结', en: 'Served' }} value={String(summary.served)} />
            <Kpi label={{ zh: '过号', en: 'No-shows' }} value={String(summary.noShows)} />
            <Kpi
              label={{ zh: '平均等待', en: 'Average wait' }}
              value={fig(summary.waitMinutes.avg, ' min')}
            />
            <Kpi label={{ zh: '90% 等待', en: 'p90 wait' }} value={fig(summary.waitMinutes.p90, ' min')} />
            <Kpi label={{ zh: '达标率', en: 'Within target' }} value={fig(summary.withinTargetPct, '%')} />
          </div>
        )}
      </section>
      <section>
        <h2>
          <Bi text={{ zh: '预计超时', en: 'Predicted breaches' }} />
        </h2>
        <Breaches hall={hall} forecast={forecast} />
      </section>
      <section>
        <h2>
          <Bi text={{ zh: '实时大厅', en: 'Live hall' }} />
        </h2>
        <table>
          <thead>
            <tr>
              <th>
                <Bi text={{ zh: '业务', en: 'Service' }} />
              </th>
              <th>
                <Bi text={{ zh: '等候', en: 'Waiting' }} />
              </th>
              <th>
                <Bi text={{ zh: '最长等待', en: 'Longest wait' }} />
              </th>
              <th>
                <Bi text={{ zh: '预计等待', en: 'Estimated wait' }} />
              </th>
              <th>
                <Bi text={{ zh: '等候目标', en: 'Wait target' }} />
              </th>
              <th>
                <Bi text={{ zh: '今日达标率', en: 'Within target today' }} />
              </th>
            </tr>
          </thead>
          <tbody>
            {hall.services.map((s) => {
              const today = summary?.byService.find((g) => g.key === s.id);
              const late = predictedBreaches([s], []).length > 0;
              return (
                <tr key={s.id} class={late ? 'late' : undefined}>
                  <td>
                    <Bi text={s.name} />
                  </td>
                  <td>{s.waiting}</td>
                  <td>{s.waiting ? <Bi text={minutesText(s.longestWaitMinutes)} /> : '—'}</td>
                  <td>
                    {s.waiting ? (
                      <Bi
                        text={
                          waitWording({ ...s, position: null }, { now, timeZone: hall.hall.timeZone }).short
                        }
                      />
                    ) : (
                      '—'
                    )}
                  </td>
                  <td class="target">
                    <Bi text={minutesText(s.waitTargetMinutes)} />
                  </td>
                  <td>{fig(today?.withinTargetPct ?? null, '%')}</td>
                </tr>
              );
            })}
          </tbody>
        </table>
        <table>
          <thead>
            <tr>
              <th>
                <Bi text={{ zh: '窗口', en: 'Counter' }} />
              </th>
              <th>
                <Bi text={{ zh: '状态', en: 'Status' }} />
              </th>
              <th>
                <Bi text={{ zh: '人员', en: 'Staff' }} />
              </th>
              <th>
                <Bi text={{ zh: '当前号', en: 'Ticket' }} />
              </th>
              <th>
                <Bi text={{ zh: '已办理', en: 'Time at counter' }} />
              </th>
            </tr>
          </thead>
          <tbody>
            {hall.counters.map((c) => (
              <tr key={c.id}>
                <td>{c.name}</td>
                <td class={`status-${c.status}`}>
                  <Bi text={COUNTER_STATUS_TEXT[c.status]} />
                  {c.status === 'paused' && c.pauseReason && (
                    <>
                      {' · '}
                      <Bi text={PAUSE_REASON_TEXT[c.pauseReason]} />
                    </>
                  )}
                </td>
                <td>{c.staffName ?? '—'}</td>
                <td>{c.currentTicket ?? '—'}</td>
                <td>{c.currentSince ? <Bi text={minutesText(minutesSince(c.currentSince))} /> : '—'}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </section>
      <section>
        <h2>
          <Bi text={{ zh: '设备状态', en: 'Devices' }} />
        </h2>
        {devices.error && <p role="alert">{devices.error}</p>}
        {devices.data && (
          <ul class="device-health">
            {devices.data.devices.map((d) => (
              <li key={d.id} class={DEVICE_USABLE_STATUSES.includes(d.status) ? 'ok' : 'trouble'}>
                <strong>{d.id}</strong> <Bi text={DEVICE_KIND_TEXT[d.kind]} />{' '}
                <em>
                  <Bi text={DEVICE_STATUS_TEXT[d.status]} />
                </em>
              </li>
            ))}
          </ul>
        )}
      </section>
      <HqLink />
      {hall.hall.demo && (
        <section>
          <h2>
            <Bi text={{ zh: '短信发件箱（演示）', en: 'SMS outbox (demo)' }} />
          </h2>
          {outbox.data && outbox.data.length === 0 && (
            <p class="empty">
              <Bi text={{ zh: '暂无短信', en: 'No messages yet' }} />
            </p>
          )}
          {outbox.data && outbox.data.length > 0 && (
            <table class="outbox">
              <tbody>
                {outbox.data.slice(0, 20).map((m) => (
                  <tr key={m.id}>
                    <td>{clockText(new Date(m.at), hall.hall.timeZone)}</td>
                    <td>{m.to}</td>
                    <td>{m.text}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </section>
      )}
    </>
  );
}
