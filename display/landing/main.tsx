import { render } from 'preact';
import { useEffect, useState } from 'preact/hooks';
import { api, type HallInfo } from '../../server/contract/index.ts';
import '../common/base.css';
import { Bi } from '../common/text.tsx';
import './landing.css';

const APPS = [
  {
    href: '/kiosk/',
    name: { zh: '自助取号机', en: 'Kiosk' },
    note: { zh: '取号、身份识别、自助办理', en: 'Tickets, identification, self-service' },
  },
  {
    href: '/book/',
    name: { zh: '手机预约', en: 'Book from the phone' },
    note: { zh: '选时间、收签到码', en: 'Pick a time, get a check-in code' },
  },
  {
    href: '/display/',
    name: { zh: '叫号大屏', en: 'Wall display' },
    note: { zh: '叫号与语音播报', en: 'Calls, with voice' },
  },
  {
    href: '/counter/',
    name: { zh: '窗口终端', en: 'Counter terminal' },
    note: { zh: '叫号、转移、办结', en: 'Call, transfer, finish' },
  },
  {
    href: '/manager/',
    name: { zh: '管理后台', en: 'Manager' },
    note: { zh: '实时大厅与统计', en: 'Live hall and statistics' },
  },
];

const DEMO_SIGN_INS = [
  ['manager', 'demo-manager', { zh: '经理', en: 'manager' }],
  ['staff1 … staff6', 'demo-staff', { zh: '营业员', en: 'counter staff' }],
] as const;

function Landing() {
  const [hall, setHall] = useState<HallInfo | null>(null);
  useEffect(() => {
    api<HallInfo>('/hall').then(setHall, () => setHall(null));
  }, []);
  return (
    <main>
      <h1>{hall ? <Bi text={hall.name} /> : 'HallQ'}</h1>
      <nav>
        {APPS.map((app) => (
          <a class="app" href={app.href} key={app.href}>
            <Bi text={app.name} class="name" />
            <Bi text={app.note} class="note" />
          </a>
        ))}
      </nav>
      {hall?.demo && (
        <section class="demo">
          <h2>
            <Bi text={{ zh: '演示账号', en: 'Demo sign-ins' }} />
          </h2>
          <table>
            <tbody>
              {DEMO_SIGN_INS.map(([user, password, role]) => (
                <tr key={user}>
                  <td>
                    <Bi text={role} />
                  </td>
                  <td>
                    <code>{user}</code>
                  </td>
                  <td>
                    <code>{password}</code>
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
          <p>
            <Bi
              text={{
                zh: '演示模式：模拟打印机与外设，数据保存在 data/demo.sqlite。',
                en: 'Demo mode: simulated printer and devices; data kept in data/demo.sqlite.',
              }}
            />
          </p>
        </section>
      )}
    </main>
  );
}

render(<Landing />, document.getElementById('app')!);
