/**
 * The HQ pages (`/hq/`): halls and regions side by side, trends, a hall's hours and services, the
 * catalogue, and what HQ holds but cannot read. Chinese first, English beside it, like the manager pages,
 * whose parts (tables, charts, figures) they share.
 */
import { useEffect, useMemo, useState } from 'preact/hooks';
import { Bi } from '../../display/common/text.tsx';
import { SignInForm } from '../../display/manager/sign-in-form.tsx';
import { ApiContext } from '../../display/manager/use-api.ts';
import type { Text } from '../../server/contract/api.ts';
import { HQ_ROLE_NAMES, type HqUser } from '../contract.ts';
import { hq, hqSession } from './api.ts';
import { CatalogueTab } from './catalogue.tsx';
import { HallTab } from './hall.tsx';
import { OverviewTab } from './overview.tsx';
import { QuarantineTab } from './quarantine.tsx';
import { TrendsTab } from './trends.tsx';

type DemoSignIn = { username: string; password: string; role: HqUser['role']; region: string | null };

export function SignIn({ onSignedIn, ended = false }: { onSignedIn: (u: HqUser) => void; ended?: boolean }) {
  const [demo, setDemo] = useState<DemoSignIn[]>([]);
  useEffect(() => {
    hq<DemoSignIn[]>('/demo/sign-ins').then(setDemo, () => setDemo([]));
  }, []);
  const signIn = async (username: string, password: string) => {
    const { user } = await hq<{ user: HqUser }>('/auth/login', { body: { username, password } });
    onSignedIn(user);
    return null;
  };
  return (
    <SignInForm title={{ zh: 'HallQ 总部', en: 'HallQ HQ' }} ended={ended} signIn={signIn}>
      {demo.length > 0 && (
        <table class="demo-sign-ins">
          <caption>
            <Bi text={{ zh: '演示账号', en: 'Demo sign-ins' }} />
          </caption>
          <tbody>
            {demo.map((d) => (
              <tr key={d.username}>
                <td>
                  <code>{d.username}</code> / <code>{d.password}</code>
                </td>
                <td>
                  <Bi text={HQ_ROLE_NAMES[d.role]} /> {d.region ?? ''}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </SignInForm>
  );
}

export const TABS = ['overview', 'trends', 'hall', 'catalogue', 'quarantine'] as const;
export type Tab = (typeof TABS)[number];
const TAB_NAMES: Record<Tab, Text> = {
  overview: { zh: '总览', en: 'Overview' },
  trends: { zh: '趋势', en: 'Trends' },
  hall: { zh: '营业厅详情', en: 'Hall detail' },
  catalogue: { zh: '服务目录', en: 'Catalogue' },
  quarantine: { zh: '隔离数据', en: 'Quarantine' },
};

/** `#hall=gz-tianhe` opens that hall's detail; `#trends` a tab. */
export function parseHash(hash: string): { tab: Tab; hallId: string | null } {
  const [name, value] = hash.replace(/^#/, '').split('=');
  if (name === 'hall') return { tab: 'hall', hallId: value ? decodeURIComponent(value) : null };
  return { tab: (TABS as readonly string[]).includes(name ?? '') ? (name as Tab) : 'overview', hallId: null };
}

export function Dashboard({ user, onSignOut }: { user: HqUser; onSignOut: () => void }) {
  const [place, setPlace] = useState(() => parseHash(location.hash));
  useEffect(() => {
    const onHash = () => setPlace(parseHash(location.hash));
    addEventListener('hashchange', onHash);
    return () => removeEventListener('hashchange', onHash);
  }, []);
  const tabs = TABS.filter((t) => t !== 'quarantine' || user.role === 'hq');
  const signOut = () => {
    hq('/auth/logout', { method: 'POST' }).finally(onSignOut);
  };
  return (
    <main class="hq">
      <header>
        <h1>
          <Bi text={{ zh: 'HallQ 总部', en: 'HallQ HQ' }} />
        </h1>
        <span>
          {user.name} · <Bi text={HQ_ROLE_NAMES[user.role]} />
          {user.region ? ` · ${user.region}` : ''}
        </span>
        <button type="button" class="sign-out" onClick={signOut}>
          <Bi text={{ zh: '退出', en: 'Sign out' }} />
        </button>
      </header>
      <nav class="tabs">
        {tabs.map((t) => (
          <a
            key={t}
            href={`#${t}`}
            aria-current={t === place.tab ? 'page' : undefined}
            class={t === place.tab ? 'active' : undefined}
          >
            <Bi text={TAB_NAMES[t]} />
          </a>
        ))}
      </nav>
      {place.tab === 'overview' && <OverviewTab />}
      {place.tab === 'trends' && <TrendsTab user={user} />}
      {place.tab === 'hall' && <HallTab hallId={place.hallId} />}
      {place.tab === 'catalogue' && <CatalogueTab user={user} />}
      {place.tab === 'quarantine' && <QuarantineTab />}
    </main>
  );
}

export function HqApp() {
  const [user, setUser] = useState<HqUser | null | undefined>(undefined);
  const [ended, setEnded] = useState(false);
  const client = useMemo(
    () =>
      hqSession(() => {
        setUser(null);
        setEnded(true);
      }),
    [],
  );
  useEffect(() => {
    hq<{ user: HqUser }>('/auth/me').then(
      ({ user }) => setUser(user),
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
