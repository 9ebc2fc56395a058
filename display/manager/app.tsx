import { useEffect, useMemo, useState } from 'preact/hooks';
import type { Text, User } from '../../server/contract/api.ts';
import { api } from '../../server/contract/client.ts';
import type { HallState } from '../common/hall-state.ts';
import { Bi } from '../common/text.tsx';
import { useHallStream } from '../common/use-hall-stream.ts';
import { AuditTab } from './audit-tab.tsx';
import { ConfigTab } from './config-tab.tsx';
import { DevicesTab } from './devices-tab.tsx';
import { HistoryTab } from './history.tsx';
import { LiveTab } from './live.tsx';
import { NoticesTab } from './notices-tab.tsx';
import { RoutingWhy } from './routing-why.tsx';
import { SignInForm } from './sign-in-form.tsx';
import { StaffingTab } from './staffing-tab.tsx';
import { ApiContext, sessionApi } from './use-api.ts';

/** `ended`: the last session expired or was ended elsewhere, so the manager is told why they are here. */
export function SignIn({ onSignedIn, ended = false }: { onSignedIn: (u: User) => void; ended?: boolean }) {
  const signIn = async (username: string, password: string) => {
    const { user } = await api<{ user: User }>('/auth/login', { body: { username, password } });
    if (user.role !== 'manager') return '需要经理账号 / A manager account is needed';
    onSignedIn(user);
    return null;
  };
  return <SignInForm title={{ zh: '管理后台', en: 'Manager' }} ended={ended} signIn={signIn} />;
}

export const TABS = [
  'live',
  'history',
  'staffing',
  'routing',
  'notices',
  'devices',
  'config',
  'audit',
] as const;
export type Tab = (typeof TABS)[number];
const TAB_NAMES: Record<Tab, Text> = {
  live: { zh: '实时大厅', en: 'Live hall' },
  history: { zh: '历史统计', en: 'History' },
  notices: { zh: '公告', en: 'Notices' },
  devices: { zh: '设备', en: 'Devices' },
  config: { zh: '配置', en: 'Configuration' },
  audit: { zh: '审计', en: 'Audit' },
  staffing: { zh: '排班建议', en: 'Staffing' },
  routing: { zh: '叫号原因', en: 'Routing' },
};

const tabFromHash = (): Tab => {
  const hash = location.hash.slice(1);
  return (TABS as readonly string[]).includes(hash) ? (hash as Tab) : 'live';
};

/** The signed-in pages: one live stream for all tabs; the tab is in the address so a reload keeps it. */
export function Dashboard({ user, onSignOut }: { user: User; onSignOut: () => void }) {
  const [tab, setTab] = useState<Tab>(tabFromHash);
  const [deviceVersion, setDeviceVersion] = useState(0);
  const { hall, connection } = useHallStream({
    onEvent: (event) => {
      // A saved device list changes which devices there are, not only their health.
      if (event.type === 'device.status' || event.type === 'hall.configured') setDeviceVersion((v) => v + 1);
    },
  });
  useEffect(() => {
    const onHash = () => setTab(tabFromHash());
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const signOut = () => {
    api('/auth/logout', { method: 'POST' }).finally(onSignOut);
  };
  return (
    <main>
      <header>
        <h1>{hall ? <Bi text={hall.hall.name} /> : 'HallQ'}</h1>
        {connection === 'lost' && <span class="lost">连接中断 / Connection lost</span>}
        <span>{user.name}</span>
        <button type="button" class="sign-out" onClick={signOut}>
          <Bi text={{ zh: '退出', en: 'Sign out' }} />
        </button>
      </header>
      <nav class="tabs">
        {TABS.map((t) => (
          <a
            key={t}
            href={`#${t}`}
            aria-current={t === tab ? 'page' : undefined}
            class={t === tab ? 'active' : undefined}
            onClick={() => setTab(t)}
          >
            <Bi text={TAB_NAMES[t]} />
          </a>
        ))}
      </nav>
      {hall ? <TabBody tab={tab} hall={hall} deviceVersion={deviceVersion} /> : <p>…</p>}
    </main>
  );
}

function TabBody({ tab, hall, deviceVersion }: { tab: Tab; hall: HallState; deviceVersion: number }) {
  switch (tab) {
    case 'live':
      return <LiveTab hall={hall} deviceVersion={deviceVersion} />;
    case 'history':
      return <HistoryTab hall={hall} />;
    case 'notices':
      return <NoticesTab />;
    case 'devices':
      return <DevicesTab hall={hall} deviceVersion={deviceVersion} />;
    case 'config':
      return <ConfigTab />;
    case 'audit':
      return <AuditTab hall={hall} />;
    case 'staffing':
      return <StaffingTab hall={hall} />;
    case 'routing':
      return <RoutingWhy hall={hall} />;
  }
}

export function ManagerApp() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  const [ended, setEnded] = useState(false);
  // Every request of the signed-in pages: a 401 anywhere brings the sign-in form back.
  const client = useMemo(
    () =>
      sessionApi(() => {
        setUser(null);
        setEnded(true);
      }),
    [],
  );
  useEffect(() => {
    api<{ user: User }>('/auth/me').then(
      ({ user }) => setUser(user.role === 'manager' ? user : null),
      () => setUser(null),
    );
  }, []);
  if (user === undefined) return null;
  if (!user)
    return (
      <SignIn
        ended={ended}
        onSignedIn={(u) => {
          setEnded(false);
          setUser(u);
        }}
      />
    );
  return (
    <ApiContext.Provider value={client}>
      <Dashboard user={user} onSignOut={() => setUser(null)} />
    </ApiContext.Provider>
  );
}
