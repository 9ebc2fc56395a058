import { useEffect, useState } from 'preact/hooks';
import type { HealthAnswer } from '../../server/contract/api.ts';
import { minutesText } from '../common/format.ts';
import { Bi } from '../common/text.tsx';
import { useGet } from './use-api.ts';

/** How often the block asks again: the link changes on its own, not with the hall's events. */
const EVERY_MS = 10_000;

/**
 * The hall's link to HQ (`GET /health`'s `hq`): connected or not, the last event HQ acknowledged, and
 * how far behind it is. Nothing when the hall ships to no HQ.
 */
export function HqLink() {
  const [tick, setTick] = useState(0);
  useEffect(() => {
    const timer = setInterval(() => setTick((t) => t + 1), EVERY_MS);
    return () => clearInterval(timer);
  }, []);
  const health = useGet<HealthAnswer>('/health', tick);
  const hq = health.data?.hq;
  if (!hq) return null;
  const lag = minutesText(hq.lagSeconds / 60);
  return (
    <section class="hq-link">
      <h2>
        <Bi text={{ zh: '总部连接', en: 'Link to HQ' }} />
      </h2>
      <ul class="device-health">
        <li class={hq.connected ? 'ok' : 'trouble'}>
          <strong>
            <Bi
              text={hq.connected ? { zh: '已连接', en: 'Connected' } : { zh: '未连接', en: 'Not connected' }}
            />
          </strong>{' '}
          {hq.url}
        </li>
        <li class={hq.pendingEvents === 0 ? 'ok' : 'trouble'}>
          <Bi text={{ zh: '已确认事件', en: 'Acknowledged through' }} /> #{hq.lastAckedSeq}
          {hq.lastAckedAt && ` · ${new Date(hq.lastAckedAt).toLocaleTimeString('zh-CN')}`}
        </li>
        <li class={hq.pendingEvents === 0 ? 'ok' : 'trouble'}>
          <Bi
            text={
              hq.pendingEvents === 0
                ? { zh: '总部数据已是最新', en: 'HQ is up to date' }
                : {
                    zh: `${hq.pendingEvents} 条待发送，滞后 ${lag.zh}`,
                    en: `${hq.pendingEvents} waiting to be sent, ${lag.en} behind`,
                  }
            }
          />
        </li>
        {hq.problem && <li class="trouble">{hq.problem}</li>}
      </ul>
    </section>
  );
}
