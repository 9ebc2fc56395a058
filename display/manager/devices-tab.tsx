import { DEVICE_KIND_TEXT, DEVICE_STATUS_TEXT } from '../../server/contract/labels.ts';
import type { DevicesAnswer } from '../../server/contract/manager.ts';
import { clockText } from '../common/format.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { PairingPanel } from './pairing-panel.tsx';
import { Th } from './parts.tsx';
import { useGet } from './use-api.ts';

/** Every device's status; in the demo, the simulated printer's last tickets as the text they printed. */
export function DevicesTab({ hall, deviceVersion }: { hall: HallState; deviceVersion: number }) {
  const { data, error } = useGet<DevicesAnswer>('/devices', deviceVersion);
  return (
    <>
      <section>
        <h2>
          <Bi text={{ zh: '设备', en: 'Devices' }} />
        </h2>
        {error && <p role="alert">{error}</p>}
        {data && (
          <table class="devices">
            <thead>
              <tr>
                <Th text={{ zh: '设备', en: 'Device' }} />
                <Th text={{ zh: '类型', en: 'Kind' }} />
                <Th text={{ zh: '连接', en: 'Connection' }} />
                <Th text={{ zh: '所属', en: 'Serves' }} />
                <Th text={{ zh: '状态', en: 'Status' }} />
                <Th text={{ zh: '说明', en: 'Detail' }} />
              </tr>
            </thead>
            <tbody>
              {data.devices.map((d) => (
                <tr key={d.id} class={d.status === 'ok' ? undefined : 'late'}>
                  <td>{d.id}</td>
                  <td>
                    <Bi text={DEVICE_KIND_TEXT[d.kind]} />
                  </td>
                  <td>{d.connection ?? '—'}</td>
                  <td>
                    {d.counterId ? (
                      <Bi text={{ zh: `${d.counterId} 号窗口`, en: `counter ${d.counterId}` }} />
                    ) : d.kioskId ? (
                      <Bi text={{ zh: `自助机 ${d.kioskId}`, en: `kiosk ${d.kioskId}` }} />
                    ) : (
                      '—'
                    )}
                  </td>
                  <td>
                    <Bi text={DEVICE_STATUS_TEXT[d.status]} />
                  </td>
                  <td>{d.detail}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
      {data?.recentPrints && (
        <section>
          <h2>
            <Bi text={{ zh: '最近打印（模拟打印机）', en: 'Last printed (simulated printer)' }} />
          </h2>
          {data.recentPrints.length === 0 && (
            <p class="empty">
              <Bi text={{ zh: '还没有打印', en: 'Nothing printed yet' }} />
            </p>
          )}
          <div class="prints">
            {data.recentPrints.map((p) => (
              <figure key={p.at + p.text.length} class="print">
                <figcaption>
                  {clockText(new Date(p.at), hall.hall.timeZone)} {p.label ?? ''}
                </figcaption>
                <pre>{p.text}</pre>
              </figure>
            ))}
          </div>
        </section>
      )}
      <PairingPanel timeZone={hall.hall.timeZone} />
    </>
  );
}
