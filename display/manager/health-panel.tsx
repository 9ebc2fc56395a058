import type { HealthAnswer } from '../../server/contract/api.ts';
import { Bi } from '../common/text.tsx';

const gb = (bytes: number) => (bytes / 1024 ** 3).toFixed(1);

/**
 * The hall's own health (`GET /health`) in words: what is wrong, at the top of the live page while it
 * lasts, and otherwise one quiet line about the storage.
 */
export function HealthPanel({ health }: { health: HealthAnswer | null }) {
  if (!health) return null;
  const { storage, problems } = health;
  if (problems.length > 0)
    return (
      <section class="hall-health trouble" role="alert">
        <h2>
          <Bi text={{ zh: '系统状态', en: 'System health' }} />
        </h2>
        <ul>
          {problems.map((p) => (
            <li key={p.code} class={p.level}>
              <Bi text={p.text} />
            </li>
          ))}
        </ul>
      </section>
    );
  return (
    <p class="hall-health ok">
      <Bi text={{ zh: '系统正常', en: 'System healthy' }} />
      {storage.disk && (
        <>
          {' · '}
          <Bi
            text={{
              zh: `剩余磁盘 ${gb(storage.disk.freeBytes)} GB`,
              en: `${gb(storage.disk.freeBytes)} GB free on disk`,
            }}
          />
        </>
      )}
    </p>
  );
}
