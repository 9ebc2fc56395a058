import { Bi } from '../../display/common/text.tsx';
import { Th } from '../../display/manager/parts.tsx';
import { useGet } from '../../display/manager/use-api.ts';
import type { HqQuarantineGroup } from '../contract.ts';

/** What HQ keeps but cannot read (a newer hall's events, an unknown type): kept, never dropped. */
export function QuarantineTab() {
  const groups = useGet<HqQuarantineGroup[]>('/quarantine');
  return (
    <>
      {groups.error && <p role="alert">{groups.error}</p>}
      {groups.data && groups.data.length === 0 && (
        <p class="empty">
          <Bi text={{ zh: '没有隔离的数据', en: 'Nothing in quarantine' }} />
        </p>
      )}
      {groups.data && groups.data.length > 0 && (
        <table>
          <caption>
            <Bi
              text={{
                zh: 'HQ 无法识别、原样保存的事件（升级 HQ 后可读）',
                en: 'Events HQ cannot read, kept as they came (readable once HQ is upgraded)',
              }}
            />
          </caption>
          <thead>
            <tr>
              <Th text={{ zh: '营业厅', en: 'Hall' }} />
              <Th text={{ zh: '原因', en: 'Reason' }} />
              <Th text={{ zh: '类型', en: 'Type' }} />
              <Th text={{ zh: '版本', en: 'Versions' }} />
              <Th text={{ zh: '事件数', en: 'Events' }} />
              <Th text={{ zh: '序号', en: 'Seq' }} />
              <Th text={{ zh: '最近收到', en: 'Last received' }} />
            </tr>
          </thead>
          <tbody>
            {groups.data.map((g) => (
              <tr key={`${g.hallId}${g.reason}${g.type}${g.schemaVersion}${g.appVersion}`}>
                <td>{g.hallId}</td>
                <td>{g.reason}</td>
                <td>{g.type}</td>
                <td>
                  {g.appVersion} · schema {g.schemaVersion}
                </td>
                <td>{g.events}</td>
                <td>
                  {g.firstSeq}–{g.lastSeq}
                </td>
                <td>{new Date(g.lastReceivedAt).toLocaleString('zh-CN')}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}
