import { useContext, useEffect, useState } from 'preact/hooks';
import { Bi } from '../../display/common/text.tsx';
import { Th } from '../../display/manager/parts.tsx';
import { ApiContext, errorText, useGet } from '../../display/manager/use-api.ts';
import type { HqCatalogueService } from '../../server/contract/hq.ts';
import type { HqCatalogueVersion, HqHall, HqRegion, HqUser } from '../contract.ts';

/**
 * A region's service catalogue and wait targets: the newest version, edited and published as the next;
 * the halls take it at their next opening day, and the table shows which run which version.
 */
export function CatalogueTab({ user }: { user: HqUser }) {
  const client = useContext(ApiContext);
  const regions = useGet<HqRegion[]>('/regions');
  const [region, setRegion] = useState<string>(user.region ?? '');
  const [saved, setSaved] = useState(0);
  const chosen = region || regions.data?.[0]?.id || '';
  const versions = useGet<HqCatalogueVersion[]>(chosen ? `/catalogue?region=${chosen}` : null, saved);
  const halls = useGet<HqHall[]>('/halls', saved);
  const latest = versions.data?.[0] ?? null;
  const [draft, setDraft] = useState<HqCatalogueService[]>([]);
  const [message, setMessage] = useState<string | null>(null);
  useEffect(() => setDraft(latest?.services ?? []), [latest]);
  const target = (i: number) => (e: Event) => {
    const minutes = Number((e.currentTarget as HTMLInputElement).value);
    setDraft(draft.map((s, j) => (j === i ? { ...s, waitTargetMinutes: minutes } : s)));
  };
  const publish = async () => {
    try {
      const v = await client.post<HqCatalogueVersion>('/catalogue', { region: chosen, services: draft });
      setMessage(`已发布 v${v.version} / Published v${v.version}`);
      setSaved((n) => n + 1);
    } catch (error) {
      setMessage(errorText(error));
    }
  };
  const regionHalls = (halls.data ?? []).filter((h) => h.region === chosen);
  return (
    <>
      <section class="controls">
        <label>
          <Bi text={{ zh: '区域', en: 'Region' }} />
          <select value={chosen} onChange={(e) => setRegion((e.currentTarget as HTMLSelectElement).value)}>
            {(regions.data ?? []).map((r) => (
              <option key={r.id} value={r.id}>
                {r.name}
              </option>
            ))}
          </select>
        </label>
        {latest && (
          <span>
            v{latest.version} · {new Date(latest.publishedAt).toLocaleString('zh-CN')} · {latest.publishedBy}
          </span>
        )}
      </section>
      {versions.error && <p role="alert">{versions.error}</p>}
      {versions.data && versions.data.length === 0 && (
        <p class="empty">
          <Bi text={{ zh: '此区域尚未发布服务目录', en: 'No catalogue published for this region yet' }} />
        </p>
      )}
      {draft.length > 0 && (
        <table>
          <caption>
            <Bi text={{ zh: '服务与等候目标', en: 'Services and wait targets' }} />
          </caption>
          <thead>
            <tr>
              <Th text={{ zh: '编号', en: 'Id' }} />
              <Th text={{ zh: '字头', en: 'Prefix' }} />
              <Th text={{ zh: '名称', en: 'Name' }} />
              <Th text={{ zh: '等候目标（分钟）', en: 'Wait target (min)' }} />
            </tr>
          </thead>
          <tbody>
            {draft.map((s, i) => (
              <tr key={s.id}>
                <td>{s.id}</td>
                <td>{s.prefix}</td>
                <td>
                  <Bi text={s.name} />
                </td>
                <td>
                  <input
                    type="number"
                    min={1}
                    max={240}
                    value={s.waitTargetMinutes}
                    aria-label={`${s.name.zh} ${s.name.en}`}
                    onChange={target(i)}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
      {draft.length > 0 && (
        <button type="button" onClick={publish}>
          <Bi
            text={{
              zh: `发布为 v${(latest?.version ?? 0) + 1}`,
              en: `Publish as v${(latest?.version ?? 0) + 1}`,
            }}
          />
        </button>
      )}
      {message && <p role="status">{message}</p>}
      <table>
        <caption>
          <Bi
            text={{
              zh: '各营业厅运行的版本（次一营业日生效）',
              en: 'Version each hall runs (taken at its next opening day)',
            }}
          />
        </caption>
        <tbody>
          {regionHalls.map((h) => (
            <tr key={h.id} class={(h.catalogueBehindDays ?? 0) >= 1 ? 'bad' : undefined}>
              <td>{h.name}</td>
              <td>v{h.catalogueVersion ?? '—'}</td>
              <td>
                {h.catalogueVersion === h.latestCatalogueVersion ? (
                  <Bi text={{ zh: '最新', en: 'Current' }} />
                ) : (
                  <Bi
                    text={
                      (h.catalogueBehindDays ?? 0) >= 1
                        ? {
                            zh: `落后 ${h.catalogueBehindDays} 天`,
                            en: `${h.catalogueBehindDays} days behind`,
                          }
                        : { zh: '等待次一营业日', en: 'Waiting for its next opening day' }
                    }
                  />
                )}
              </td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
