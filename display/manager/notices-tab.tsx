import { useContext, useEffect, useState } from 'preact/hooks';
import {
  MAX_NOTICE_IMAGE,
  MAX_NOTICE_TEXT,
  MAX_NOTICES,
  type Notice,
  type NoticeInput,
} from '../../server/contract/manager.ts';
import { Bi } from '../common/text.tsx';
import { ApiContext, errorText } from './use-api.ts';

/** Reads an image file as a data: URL, or says why not. */
function readImage(file: File): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => {
      const url = String(reader.result);
      if (url.length > MAX_NOTICE_IMAGE)
        reject(new Error('图片太大（最大 200 KB）/ The image is over 200 KB'));
      else resolve(url);
    };
    reader.onerror = () => reject(reader.error);
    reader.readAsDataURL(file);
  });
}

/** The wall's notices: edited here as a list, saved whole. */
export function NoticesTab() {
  const client = useContext(ApiContext);
  const [list, setList] = useState<NoticeInput[] | null>(null);
  const [status, setStatus] = useState<{ ok: boolean; text: string } | null>(null);
  useEffect(() => {
    client
      .get<Notice[]>('/notices')
      .then(setList, (e: unknown) => setStatus({ ok: false, text: errorText(e) }));
  }, [client]);
  if (list === null) return status ? <p role="alert">{status.text}</p> : null;

  const edit = (i: number, patch: Partial<NoticeInput>) => {
    setList(list.map((n, j) => (j === i ? { ...n, ...patch } : n)));
    setStatus(null);
  };
  const move = (i: number, by: -1 | 1) => {
    const next = [...list];
    [next[i], next[i + by]] = [next[i + by]!, next[i]!];
    setList(next);
  };
  const save = async (e: Event) => {
    e.preventDefault();
    try {
      const saved = await client.put<Notice[]>('/notices', list);
      setList(saved);
      setStatus({ ok: true, text: '已保存，大屏即时更新 / Saved: the wall shows it now' });
    } catch (error) {
      setStatus({ ok: false, text: errorText(error) });
    }
  };

  return (
    <form class="notices" onSubmit={save}>
      <h2>
        <Bi text={{ zh: '大屏公告', en: 'Wall notices' }} />
      </h2>
      {list.length === 0 && (
        <p class="empty">
          <Bi text={{ zh: '暂无公告', en: 'No notices' }} />
        </p>
      )}
      {list.map((n, i) => (
        <fieldset key={n.id ?? `new-${i}`} class="notice">
          <legend>
            <Bi text={{ zh: `公告 ${i + 1}`, en: `Notice ${i + 1}` }} />
          </legend>
          <label>
            <Bi text={{ zh: '中文', en: 'Chinese' }} />
            <textarea
              name={`zh-${i}`}
              required
              maxLength={MAX_NOTICE_TEXT}
              value={n.text.zh}
              onInput={(e) => edit(i, { text: { ...n.text, zh: e.currentTarget.value } })}
            />
          </label>
          <label>
            <Bi text={{ zh: '英文', en: 'English' }} />
            <textarea
              name={`en-${i}`}
              maxLength={MAX_NOTICE_TEXT}
              value={n.text.en}
              onInput={(e) => edit(i, { text: { ...n.text, en: e.currentTarget.value } })}
            />
          </label>
          <label>
            <Bi text={{ zh: '图片（可选，最大 200 KB）', en: 'Image (optional, up to 200 KB)' }} />
            <input
              type="file"
              accept="image/png,image/jpeg,image/gif,image/webp"
              onChange={(e) => {
                const file = e.currentTarget.files?.[0];
                if (file)
                  readImage(file).then(
                    (imageUrl) => edit(i, { imageUrl }),
                    (error: unknown) =>
                      setStatus({
                        ok: false,
                        text: error instanceof Error ? error.message : errorText(error),
                      }),
                  );
              }}
            />
          </label>
          {n.imageUrl && (
            <div class="image">
              <img src={n.imageUrl} alt="" />
              <button type="button" onClick={() => edit(i, { imageUrl: undefined })}>
                <Bi text={{ zh: '移除图片', en: 'Remove image' }} />
              </button>
            </div>
          )}
          <div class="row-actions">
            <button type="button" disabled={i === 0} onClick={() => move(i, -1)} aria-label="move up">
              ↑
            </button>
            <button
              type="button"
              disabled={i === list.length - 1}
              onClick={() => move(i, 1)}
              aria-label="move down"
            >
              ↓
            </button>
            <button type="button" class="danger" onClick={() => setList(list.filter((_, j) => j !== i))}>
              <Bi text={{ zh: '删除', en: 'Delete' }} />
            </button>
          </div>
        </fieldset>
      ))}
      <div class="form-actions">
        <button
          type="button"
          disabled={list.length >= MAX_NOTICES}
          onClick={() => setList([...list, { text: { zh: '', en: '' } }])}
        >
          <Bi text={{ zh: '添加公告', en: 'Add a notice' }} />
        </button>
        <button type="submit" class="primary">
          <Bi text={{ zh: '保存', en: 'Save' }} />
        </button>
      </div>
      {status && (
        <p role={status.ok ? 'status' : 'alert'} class={status.ok ? 'saved' : undefined}>
          {status.text}
        </p>
      )}
    </form>
  );
}
