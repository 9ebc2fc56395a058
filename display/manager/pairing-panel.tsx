import { useContext, useEffect, useState } from 'preact/hooks';
import type { DeviceTokenView, PairingRequestView, ScreenKind } from '../../server/contract/manager.ts';
import { clockText, dateText } from '../common/format.ts';
import { Bi } from '../common/text.tsx';
import { Th } from './parts.tsx';
import { ApiContext, errorText, httpApi, useGet } from './use-api.ts';

/** How often the list of screens waiting with a code is read again while the tab is open. */
const REFRESH_MS = 3_000;

/** Screens waiting with a pairing code (approve as a kiosk or display), and the paired screens' tokens. */
export function PairingPanel({ timeZone }: { timeZone: string }) {
  const client = useContext(ApiContext);
  const [version, setVersion] = useState(0);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    const timer = setInterval(() => setVersion((v) => v + 1), REFRESH_MS);
    return () => clearInterval(timer);
  }, []);
  const pending = useGet<PairingRequestView[]>('/pairing/requests', version);
  const tokens = useGet<DeviceTokenView[]>('/devices/tokens', version);
  const done = (text: string) => {
    setStatus({ ok: true, text });
    setVersion((v) => v + 1);
  };
  const failed = (error: unknown) => setStatus({ ok: false, text: errorText(error) });

  const approve = (e: Event, request: PairingRequestView) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const kind = String(form.get('kind')) as ScreenKind;
    const deviceId = String(form.get('deviceId')).trim();
    client
      .post(`/pairing/requests/${request.id}/approve`, { kind, deviceId })
      .then(() => done(`已配对 ${kind} ${deviceId} / Paired ${kind} ${deviceId}`), failed);
  };
  const revoke = (t: DeviceTokenView) => {
    if (!confirm(`撤销 ${t.kind} ${t.deviceId} 的配对？/ Revoke ${t.kind} ${t.deviceId}?`)) return;
    const del = client.del ?? httpApi.del;
    del(`/devices/tokens/${t.id}`).then(() => done(`已撤销 / Revoked ${t.kind} ${t.deviceId}`), failed);
  };

  return (
    <section class="pairing">
      <h2>
        <Bi text={{ zh: '屏幕配对', en: 'Pairing screens' }} />
      </h2>
      {status && <p role={status.ok ? 'status' : 'alert'}>{status.text}</p>}
      {pending.error && <p role="alert">{pending.error}</p>}
      {pending.data?.length === 0 && (
        <p class="empty">
          <Bi
            text={{
              zh: '没有等待配对的屏幕。未配对的自助机或大屏会显示配对码。',
              en: 'No screen is waiting. An unpaired kiosk or wall display shows a pairing code.',
            }}
          />
        </p>
      )}
      {pending.data?.map((r) => (
        <form key={r.id} class="pair-request" onSubmit={(e) => approve(e, r)} aria-label={`pair ${r.code}`}>
          <code class="pairing-code">{r.code}</code>
          <select name="kind" aria-label={`kind ${r.code}`}>
            <option value="kiosk">自助机 / kiosk</option>
            <option value="display">大屏 / display</option>
          </select>
          <input
            name="deviceId"
            aria-label={`device id ${r.code}`}
            placeholder="k1 / wall-1"
            required
            pattern="[A-Za-z0-9_\-]{1,32}"
          />
          <button type="submit">
            <Bi text={{ zh: '配对', en: 'Pair' }} />
          </button>
        </form>
      ))}
      {tokens.data && tokens.data.length > 0 && (
        <table class="tokens">
          <thead>
            <tr>
              <Th text={{ zh: '类型', en: 'Kind' }} />
              <Th text={{ zh: '编号', en: 'Id' }} />
              <Th text={{ zh: '配对时间', en: 'Paired' }} />
              <Th text={{ zh: '操作', en: 'Actions' }} />
            </tr>
          </thead>
          <tbody>
            {tokens.data.map((t) => (
              <tr key={t.id}>
                <td>{t.kind}</td>
                <td>{t.deviceId}</td>
                <td>
                  <Bi text={dateText(new Date(t.createdAt), timeZone)} />{' '}
                  {clockText(new Date(t.createdAt), timeZone)}
                </td>
                <td>
                  <button type="button" onClick={() => revoke(t)}>
                    <Bi text={{ zh: '撤销', en: 'Revoke' }} />
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </section>
  );
}
