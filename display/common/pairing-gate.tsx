/**
 * Outside demo mode a kiosk or wall display shows only a pairing code until a manager pairs it
 * (manager page → 设备 / Devices). The screen asks for a code, polls, and keeps the token it receives in
 * localStorage; then the page reloads so its parts start with the token (and, for a kiosk, its id).
 * In the demo, and for a screen whose token the server still knows, the gate renders its children.
 */
import type { ComponentChildren } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import type { HallInfo } from '../../server/contract/api.ts';
import { api } from '../../server/contract/client.ts';
import type { PairingStatus, PairingTicket, ScreenKind } from '../../server/contract/manager.ts';
import { Bi } from './text.tsx';

export const POLL_MS = 2_000;

type Gate = { state: 'checking' } | { state: 'open' } | { state: 'code'; code: string } | { state: 'error' };

export type PairingGateProps = {
  kind: ScreenKind;
  /** Where the token is kept (the kiosk's main.tsx reads the same key). */
  storageKey: string;
  /** After pairing: how to start with the token; by default, reload (a kiosk adds `?kiosk=<id>`). */
  onPaired?: (paired: { deviceId: string }) => void;
  children: ComponentChildren;
};

export function PairingGate({ kind, storageKey, onPaired, children }: PairingGateProps) {
  const [gate, setGate] = useState<Gate>({ state: 'checking' });
  const [attempt, setAttempt] = useState(0);
  useEffect(() => {
    let alive = true;
    let timer: ReturnType<typeof setTimeout> | undefined;
    const failed = () => {
      if (!alive) return;
      setGate({ state: 'error' });
      timer = setTimeout(() => setAttempt((n) => n + 1), 5_000);
    };
    const paired = (deviceId: string) => (onPaired ? onPaired({ deviceId }) : location.reload());

    async function ask(): Promise<void> {
      const ticket = await api<PairingTicket>('/pairing/requests', { method: 'POST' });
      if (!alive) return;
      setGate({ state: 'code', code: ticket.code });
      const poll = async () => {
        if (!alive) return;
        try {
          const status = await api<PairingStatus>(`/pairing/requests/${ticket.id}`);
          if (status.status === 'paired' && status.kind === kind) {
            localStorage.setItem(storageKey, status.token);
            paired(status.deviceId);
            return;
          }
        } catch {
          // Expired (404) or the server restarted: ask for a new code.
          if (alive) void ask().catch(failed);
          return;
        }
        timer = setTimeout(poll, POLL_MS);
      };
      timer = setTimeout(poll, POLL_MS);
    }

    (async () => {
      const hall = await api<HallInfo>('/hall');
      if (hall.demo) return setGate({ state: 'open' });
      const token = localStorage.getItem(storageKey);
      if (token) {
        try {
          const me = await api<{ kind: string }>('/devices/me', {
            headers: { authorization: `Bearer ${token}` },
          });
          if (me.kind === kind) return setGate({ state: 'open' });
        } catch {
          localStorage.removeItem(storageKey); // revoked or from another hall
        }
      }
      await ask();
    })().catch(failed);
    return () => {
      alive = false;
      clearTimeout(timer);
    };
  }, [kind, storageKey, onPaired, attempt]);

  if (gate.state === 'open') return <>{children}</>;
  return (
    <main class="pairing-gate" style={GATE_STYLE}>
      {gate.state === 'code' && (
        <>
          <h1>
            <Bi text={{ zh: '此屏幕尚未配对', en: 'This screen is not paired yet' }} />
          </h1>
          <p>
            <Bi
              text={{
                zh: '请经理在管理后台「设备」中输入配对码：',
                en: 'A manager enters this pairing code on the manager page, Devices:',
              }}
            />
          </p>
          <output class="pairing-code" style={CODE_STYLE} aria-label="pairing code">
            {gate.code}
          </output>
        </>
      )}
      {gate.state === 'error' && (
        <p role="alert">
          <Bi text={{ zh: '无法连接服务器，请稍候', en: 'Cannot reach the server; retrying' }} />
        </p>
      )}
    </main>
  );
}

// Inline: the gate shows before (and instead of) the page's own styles matter.
const GATE_STYLE = {
  display: 'flex',
  flexDirection: 'column',
  alignItems: 'center',
  justifyContent: 'center',
  minHeight: '100vh',
  gap: '1.5rem',
  fontFamily: 'system-ui, sans-serif',
  textAlign: 'center',
  background: '#0b1f3a',
  color: '#fff',
} as const;
const CODE_STYLE = {
  fontSize: '6rem',
  letterSpacing: '0.3em',
  fontWeight: 700,
  fontFamily: 'ui-monospace, monospace',
  background: '#fff',
  color: '#0b1f3a',
  padding: '0.5rem 2rem',
  borderRadius: '1rem',
} as const;
