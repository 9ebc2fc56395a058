import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { ApiError, api, type StatsSummary, type User } from '../../server/contract/index.ts';
import '../common/base.css';
import { minutesText } from '../common/format.ts';
import { Bi } from '../common/text.tsx';
import { useHallStream } from '../common/use-hall-stream.ts';
import './manager.css';

/** Today in the hall's time zone, as YYYY-MM-DD. */
function hallToday(timeZone: string): string {
  return new Intl.DateTimeFormat('en-CA', {
    timeZone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
  }).format(new Date());
}

const fig = (x: number | null, unit = '') => (x === null ? '—' : `${x}${unit}`);

function SignIn({ onSignedIn }: { onSignedIn: (u: User) => void }) {
  const [error, setError] = useState<string | null>(null);
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      const { user } = await api<{ user: User }>('/auth/login', {
        body: { username: String(form.get('username')), password: String(form.get('password')) },
      });
      if (user.role !== 'manager') {
        setError('需要经理账号 / A manager account is needed');
        return;
      }
      onSignedIn(user);
    } catch (err) {
      setError(err instanceof ApiError ? err.message : String(err));
    }
  };
  return (
    <form class="sign-in" onSubmit={submit}>
      <h1>
        <Bi text={{ zh: '管理后台', en: 'Manager' }} />
      </h1>
      <label>
        <Bi text={{ zh: '账号', en: 'Username' }} />
        <input name="username" autocomplete="username" required />
      </label>
      <label>
        <Bi text={{ zh: '密码', en: 'Password' }} />
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <button type="submit">
        <Bi text={{ zh: '登录', en: 'Sign in' }} />
      </button>
      {error && <p role="alert">{error}</p>}
    </form>
  );
}

function Dashboard({ user }: { user: User }) {
  const { hall, connection } = useHallStream();
  const [summary, setSummary] = useState<StatsSummary | null>(null);
  const timeZone = hall?.hall.timeZone;
  // Refresh today's figures whenever a ticket ends; cheap next to a person's reading speed.
  const ended = hall ? hall.counters.map((c) => c.currentTicket).join() : '';
  useEffect(() => {
    if (!timeZone) return;
    const day = hallToday(timeZone);
    api<StatsSummary>(`/stats/summary?from=${day}&to=${day}`).then(setSummary, () => {});
  }, [timeZone, ended]);

  return (
    <main>
      <header>
        <h1>{hall ? <Bi text={hall.hall.name} /> : 'HallQ'}</h1>
        <span>{user.name}</span>
        {connection === 'lost' && <span class="lost">连接中断 / Connection lost</span>}
      </header>
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
      {hall && (
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
                  <Bi text={{ zh: '今日达标率', en: 'Within target today' }} />
                </th>
              </tr>
            </thead>
            <tbody>
              {hall.services.map((s) => {
                const today = summary?.byService.find((g) => g.key === s.id);
                const late = s.longestWaitMinutes > s.waitTargetMinutes;
                return (
                  <tr key={s.id} class={late ? 'late' : undefined}>
                    <td>
                      <Bi text={s.name} />
                    </td>
                    <td>{s.waiting}</td>
                    <td>{s.waiting ? <Bi text={minutesText(s.longestWaitMinutes)} /> : '—'}</td>
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
              </tr>
            </thead>
            <tbody>
              {hall.counters.map((c) => (
                <tr key={c.id}>
                  <td>{c.name}</td>
                  <td class={`status-${c.status}`}>{c.status}</td>
                  <td>{c.staffName ?? '—'}</td>
                  <td>{c.currentTicket ?? '—'}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </section>
      )}
    </main>
  );
}

function Kpi({ label, value }: { label: { zh: string; en: string }; value: string }) {
  return (
    <div class="kpi">
      <strong>{value}</strong>
      <Bi text={label} />
    </div>
  );
}

function ManagerApp() {
  const [user, setUser] = useState<User | null | undefined>(undefined);
  useEffect(() => {
    api<{ user: User }>('/auth/me').then(
      ({ user }) => setUser(user.role === 'manager' ? user : null),
      () => setUser(null),
    );
  }, []);
  if (user === undefined) return null;
  return user ? <Dashboard user={user} /> : <SignIn onSignedIn={setUser} />;
}

render(<ManagerApp />, document.getElementById('app')!);
