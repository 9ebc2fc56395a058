/**
 * Notices for the wall display. The manager replaces the whole list at once; each change is audited and
 * announced (`notices.updated`) so screens fetch the new list. The event carries no notice text or image:
 * images may be 200 KB each, and the event log keeps every event for ever.
 */
import { randomBytes } from 'node:crypto';
import type { Notice, NoticeInput } from '../contract/manager.ts';
import type { Db } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import type { AuditLog } from './audit.ts';
import type { CommandPath, Outcome } from './command-path.ts';
import type { Actor } from './hall.ts';

type Row = { id: string; text_zh: string; text_en: string; image_url: string | null };

export type NoticesDeps = {
  db: Db;
  clock: Clock;
  commands: CommandPath;
  audit: AuditLog;
};

export function createNotices(deps: NoticesDeps) {
  const { db, clock, commands, audit } = deps;
  const st = {
    all: db.prepare<[], Row>('SELECT id, text_zh, text_en, image_url FROM notices ORDER BY position'),
    clear: db.prepare('DELETE FROM notices'),
    insert: db.prepare(
      'INSERT INTO notices(position, id, text_zh, text_en, image_url) VALUES (?, ?, ?, ?, ?)',
    ),
  };

  function list(): Notice[] {
    return st.all.all().map((r) => ({
      id: r.id,
      text: { zh: r.text_zh, en: r.text_en },
      ...(r.image_url === null ? {} : { imageUrl: r.image_url }),
    }));
  }

  /** Replaces the list (already validated); notices without an id get a new one. */
  function replace(input: readonly NoticeInput[], actor: Actor): Outcome<Notice[]> {
    const next: Notice[] = input.map((n) => ({
      id: n.id ?? randomBytes(6).toString('base64url'),
      text: n.text,
      ...(n.imageUrl === undefined ? {} : { imageUrl: n.imageUrl }),
    }));
    return commands.run('notices.replace', (tx) => {
      const before = list();
      st.clear.run();
      next.forEach((n, i) => {
        st.insert.run(i, n.id, n.text.zh, n.text.en, n.imageUrl ?? null);
      });
      audit.record({
        at: clock.now(),
        userId: actor.id,
        action: 'notices.replace',
        target: 'notices',
        before,
        after: next,
      });
      tx.record('notices.updated', { count: next.length }, { staffId: actor.id });
      return next;
    });
  }

  return { list, replace };
}

export type Notices = ReturnType<typeof createNotices>;
