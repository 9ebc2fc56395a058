/** The wall display's notices, in the order they are shown; the manager replaces the whole list at once. */
import type { Db } from './open.ts';

export type NoticeRow = { id: string; text_zh: string; text_en: string; image_url: string | null };

export type NoticesRepository = ReturnType<typeof createNoticesRepository>;

export function createNoticesRepository(db: Db) {
  const st = {
    all: db.prepare<[], NoticeRow>('SELECT id, text_zh, text_en, image_url FROM notices ORDER BY position'),
    clear: db.prepare<[]>('DELETE FROM notices'),
    insert: db.prepare<NoticeRow & { position: number }>(
      `INSERT INTO notices(position, id, text_zh, text_en, image_url)
       VALUES (@position, @id, @text_zh, @text_en, @image_url)`,
    ),
  };

  return {
    /** In the order they are shown. */
    all: (): NoticeRow[] => st.all.all(),
    /** The list becomes `rows`, in that order. Call in a transaction. */
    replace(rows: readonly NoticeRow[]): void {
      st.clear.run();
      rows.forEach((row, position) => {
        st.insert.run({ ...row, position });
      });
    },
  };
}
