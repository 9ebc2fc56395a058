import { useContext, useEffect, useState } from 'preact/hooks';
import type {
  ConfigCounter,
  ConfigService,
  ConfigView,
  StaffMember,
  StaffPassword,
} from '../../server/contract/manager.ts';
import { Bi } from '../common/text.tsx';
import { CounterServices } from './counter-services.tsx';
import { DevicesForm, PrinterForm } from './devices-form.tsx';
import { IdCell, ListActions, RemoveCell, useRows } from './list-form.tsx';
import { ConfirmButton, Th } from './parts.tsx';
import { ApiContext, errorText } from './use-api.ts';

type Status = { ok: boolean; text: string } | null;

/** Services, counters, devices and staff: edited here, validated and applied live by the server, audited. */
export function ConfigTab() {
  const client = useContext(ApiContext);
  const [config, setConfig] = useState<ConfigView | null>(null);
  const [status, setStatus] = useState<Status>(null);
  useEffect(() => {
    client
      .get<ConfigView>('/config')
      .then(setConfig, (e: unknown) => setStatus({ ok: false, text: errorText(e) }));
  }, [client]);
  if (config === null) return status ? <p role="alert">{status.text}</p> : null;

  const saved = (next: ConfigView) => {
    setConfig(next);
    setStatus({
      ok: true,
      text: `已保存并生效（版本 ${next.version}）/ Saved and in force (version ${next.version})`,
    });
  };
  const failed = (error: unknown) => setStatus({ ok: false, text: errorText(error) });
  // Edits are made on this version: a save over another manager's newer one is refused (409), not lost.
  const ifMatch = { 'if-match': `"${config.version}"` };

  return (
    <div class="config">
      {status && (
        <p role={status.ok ? 'status' : 'alert'} class={status.ok ? 'saved' : 'error'}>
          {status.text}
        </p>
      )}
      <ServicesForm
        key={`s${config.version}`}
        config={config}
        onSave={(list) => client.put<ConfigView>('/config/services', list, ifMatch).then(saved, failed)}
      />
      <CountersForm
        key={`c${config.version}`}
        config={config}
        onSave={(list) => client.put<ConfigView>('/config/counters', list, ifMatch).then(saved, failed)}
      />
      <PrinterForm
        key={`p${config.version}`}
        config={config}
        onSave={(connection) =>
          client.put<ConfigView>('/config/printer', { connection }, ifMatch).then(saved, failed)
        }
      />
      <DevicesForm
        key={`d${config.version}`}
        config={config}
        onSave={(list) => client.put<ConfigView>('/config/devices', list, ifMatch).then(saved, failed)}
      />
      <StaffForm
        staff={config.staff}
        onStatus={setStatus}
        onChanged={(staff) => setConfig({ ...config, staff })}
      />
    </div>
  );
}

function ServicesForm({ config, onSave }: { config: ConfigView; onSave: (list: ConfigService[]) => void }) {
  const { rows: list, isNew, keyOf, edit, add, remove } = useRows(config.services, config.services);
  const addService = () =>
    add({
      id: '',
      prefix: '',
      name: { zh: '', en: '' },
      category: 'business',
      waitTargetMinutes: 15,
      selfService: false,
      enabled: true,
    });
  const submit = (e: Event) => {
    e.preventDefault();
    onSave(list);
  };
  return (
    <form onSubmit={submit} aria-label="services">
      <h2>
        <Bi text={{ zh: '业务', en: 'Services' }} />
      </h2>
      <table class="config-table">
        <thead>
          <tr>
            <Th text={{ zh: '编号', en: 'Id' }} />
            <Th text={{ zh: '字头', en: 'Prefix' }} />
            <Th text={{ zh: '中文名', en: 'Name (zh)' }} />
            <Th text={{ zh: '英文名', en: 'Name (en)' }} />
            <Th text={{ zh: '等候目标（分钟）', en: 'Wait target (min)' }} />
            <Th text={{ zh: '营业时间', en: 'Hours' }} />
            <Th text={{ zh: '启用', en: 'Enabled' }} />
            <Th text={{ zh: '操作', en: 'Actions' }} />
          </tr>
        </thead>
        <tbody>
          {list.map((s, i) => (
            <tr key={keyOf(s, i)}>
              <IdCell
                id={s.id}
                isNew={isNew(s)}
                label={`service id ${i + 1}`}
                onInput={(id) => edit(i, { id })}
              />
              <td>
                <input
                  aria-label={`prefix ${s.id || i + 1}`}
                  class="short"
                  required
                  maxLength={1}
                  value={s.prefix}
                  onInput={(e) => edit(i, { prefix: e.currentTarget.value.toUpperCase() })}
                />
              </td>
              <td>
                <input
                  aria-label={`name zh ${s.id || i + 1}`}
                  required
                  value={s.name.zh}
                  onInput={(e) => edit(i, { name: { ...s.name, zh: e.currentTarget.value } })}
                />
              </td>
              <td>
                <input
                  aria-label={`name en ${s.id || i + 1}`}
                  required
                  value={s.name.en}
                  onInput={(e) => edit(i, { name: { ...s.name, en: e.currentTarget.value } })}
                />
              </td>
              <td>
                <input
                  aria-label={`wait target ${s.id || i + 1}`}
                  class="short"
                  type="number"
                  min={1}
                  max={240}
                  required
                  value={s.waitTargetMinutes}
                  onInput={(e) => edit(i, { waitTargetMinutes: Number(e.currentTarget.value) })}
                />
              </td>
              <td>
                <input
                  aria-label={`opens ${s.id || i + 1}`}
                  class="time"
                  placeholder={config.hours.open}
                  value={s.hours?.open ?? ''}
                  onInput={(e) => edit(i, { hours: hoursOf(e.currentTarget.value, s.hours?.close ?? '') })}
                />
                –
                <input
                  aria-label={`closes ${s.id || i + 1}`}
                  class="time"
                  placeholder={config.hours.close}
                  value={s.hours?.close ?? ''}
                  onInput={(e) => edit(i, { hours: hoursOf(s.hours?.open ?? '', e.currentTarget.value) })}
                />
              </td>
              <td>
                <input
                  aria-label={`enabled ${s.id || i + 1}`}
                  type="checkbox"
                  checked={s.enabled}
                  onChange={(e) => edit(i, { enabled: e.currentTarget.checked })}
                />
              </td>
              <RemoveCell onRemove={() => remove(i)} />
            </tr>
          ))}
        </tbody>
      </table>
      <ListActions
        add={{ zh: '添加业务', en: 'Add a service' }}
        save={{ zh: '保存业务', en: 'Save services' }}
        onAdd={addService}
      />
    </form>
  );
}

/** Both times, or neither (the hall's hours); half-typed hours are sent as typed and refused by name. */
function hoursOf(open: string, close: string): ConfigService['hours'] {
  return open === '' && close === '' ? undefined : { open, close };
}

function CountersForm({ config, onSave }: { config: ConfigView; onSave: (list: ConfigCounter[]) => void }) {
  const { rows, isNew, keyOf, edit, add, remove } = useRows<ConfigCounter>(config.counters, config.counters);
  const submit = (e: Event) => {
    e.preventDefault();
    onSave(rows);
  };
  return (
    <form onSubmit={submit} aria-label="counters">
      <h2>
        <Bi text={{ zh: '窗口', en: 'Counters' }} />
      </h2>
      <p class="hint">
        <Bi
          text={{
            zh: '主业务优先叫号；权重 1–10 越大越优先（主业务默认 2，协助业务 1）',
            en: 'The own service is called first; weights 1–10, higher first (own 2, others 1 by default)',
          }}
        />
      </p>
      <table class="config-table">
        <thead>
          <tr>
            <Th text={{ zh: '编号', en: 'Id' }} />
            <Th text={{ zh: '名称', en: 'Name' }} />
            <Th text={{ zh: '业务（权重）', en: 'Services (weights)' }} />
            <Th text={{ zh: '长辈优先', en: 'Elderly first' }} />
            <Th text={{ zh: '操作', en: 'Actions' }} />
          </tr>
        </thead>
        <tbody>
          {rows.map((c, i) => (
            <tr key={keyOf(c, i)}>
              <IdCell
                id={c.id}
                isNew={isNew(c)}
                label={`counter id ${i + 1}`}
                short
                onInput={(id) => edit(i, { id })}
              />
              <td>
                <input
                  aria-label={`counter name ${c.id || i + 1}`}
                  required
                  value={c.name}
                  onInput={(e) => edit(i, { name: e.currentTarget.value })}
                />
              </td>
              <td>
                <CounterServices
                  counter={c.id || String(i + 1)}
                  services={config.services}
                  value={c.services}
                  onChange={(services) => edit(i, { services })}
                />
              </td>
              <td>
                <input
                  aria-label={`elderly first ${c.id || i + 1}`}
                  type="checkbox"
                  checked={c.elderlyFirst}
                  onChange={(e) => edit(i, { elderlyFirst: e.currentTarget.checked })}
                />
              </td>
              <RemoveCell onRemove={() => remove(i)} />
            </tr>
          ))}
        </tbody>
      </table>
      <ListActions
        add={{ zh: '添加窗口', en: 'Add a counter' }}
        save={{ zh: '保存窗口', en: 'Save counters' }}
        onAdd={() => add({ id: '', name: '', services: [], elderlyFirst: false })}
      />
    </form>
  );
}

function StaffForm({
  staff,
  onStatus,
  onChanged,
}: {
  staff: StaffMember[];
  onStatus: (s: Status) => void;
  onChanged: (staff: StaffMember[]) => void;
}) {
  const client = useContext(ApiContext);
  const [password, setPassword] = useState<StaffPassword | null>(null);
  const replace = (user: StaffMember) =>
    onChanged(
      staff.some((s) => s.id === user.id)
        ? staff.map((s) => (s.id === user.id ? user : s))
        : [...staff, user],
    );
  const failed = (error: unknown) => onStatus({ ok: false, text: errorText(error) });
  const update = (id: string, change: Partial<Pick<StaffMember, 'name' | 'role' | 'disabled'>>) =>
    client.put<StaffMember>(`/config/staff/${encodeURIComponent(id)}`, change).then((user) => {
      replace(user);
      onStatus({ ok: true, text: `已保存 ${user.username} / ${user.username} saved` });
    }, failed);
  const shown = (answer: StaffPassword) => {
    replace(answer.user);
    setPassword(answer);
    onStatus(null);
  };
  const create = (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    const body = {
      username: String(form.get('username')),
      name: String(form.get('name')),
      role: String(form.get('role')),
    };
    client.post<StaffPassword>('/config/staff', body).then((answer) => {
      (e.target as HTMLFormElement).reset();
      shown(answer);
    }, failed);
  };
  const reset = (id: string) =>
    client
      .post<StaffPassword>(`/config/staff/${encodeURIComponent(id)}/reset-password`, undefined)
      .then(shown, failed);

  return (
    <section aria-label="staff">
      <h2>
        <Bi text={{ zh: '员工账号', en: 'Staff accounts' }} />
      </h2>
      {password && (
        <p class="one-time" role="status">
          <Bi
            text={{
              zh: `${password.user.username} 的一次性密码：`,
              en: `One-time password of ${password.user.username}: `,
            }}
          />
          <code>{password.password}</code>
          <Bi text={{ zh: '（只显示这一次）', en: ' (shown this once)' }} />
        </p>
      )}
      <table class="config-table">
        <thead>
          <tr>
            <Th text={{ zh: '账号', en: 'Username' }} />
            <Th text={{ zh: '姓名', en: 'Name' }} />
            <Th text={{ zh: '角色', en: 'Role' }} />
            <Th text={{ zh: '账号状态', en: 'Account' }} />
            <Th text={{ zh: '操作', en: 'Actions' }} />
          </tr>
        </thead>
        <tbody>
          {staff.map((s) => (
            <tr key={s.id} class={s.disabled ? 'disabled' : undefined}>
              <td>{s.username}</td>
              <td>
                <input
                  aria-label={`staff name ${s.id}`}
                  value={s.name}
                  onChange={(e) => {
                    const name = e.currentTarget.value.trim();
                    if (name && name !== s.name) void update(s.id, { name });
                  }}
                />
              </td>
              <td>
                <select
                  aria-label={`role ${s.id}`}
                  value={s.role}
                  onChange={(e) => void update(s.id, { role: e.currentTarget.value as StaffMember['role'] })}
                >
                  <option value="staff">营业员 / staff</option>
                  <option value="manager">经理 / manager</option>
                </select>
              </td>
              <td>
                {s.disabled ? (
                  <button type="button" onClick={() => void update(s.id, { disabled: false })}>
                    <Bi text={{ zh: '已停用，启用', en: 'Disabled: enable' }} />
                  </button>
                ) : (
                  <ConfirmButton
                    label={{ zh: '停用', en: 'Disable' }}
                    question={{
                      zh: `停用 ${s.name}？其登录将立即失效`,
                      en: `Disable ${s.name}? Their sign-in ends at once`,
                    }}
                    onConfirm={() => void update(s.id, { disabled: true })}
                  />
                )}
              </td>
              <td>
                <ConfirmButton
                  label={{ zh: '重置密码', en: 'Reset password' }}
                  question={{
                    zh: `重置 ${s.name} 的密码？其登录将立即失效`,
                    en: `Reset the password of ${s.name}? Their sign-in ends at once`,
                  }}
                  onConfirm={() => void reset(s.id)}
                />
              </td>
            </tr>
          ))}
        </tbody>
      </table>
      <form class="add-staff" onSubmit={create} aria-label="add staff">
        <input
          name="username"
          aria-label="new username"
          placeholder="username"
          required
          pattern="[a-z0-9._\-]{2,32}"
        />
        <input name="name" aria-label="new name" placeholder="姓名 / name" required />
        <select name="role" aria-label="new role">
          <option value="staff">营业员 / staff</option>
          <option value="manager">经理 / manager</option>
        </select>
        <button type="submit">
          <Bi text={{ zh: '添加员工', en: 'Add staff' }} />
        </button>
      </form>
    </section>
  );
}
