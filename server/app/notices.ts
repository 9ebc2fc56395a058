/**
 * Notices for the wall display. The manager replaces the whole list at once; each change is audited and
 * announced (`notices.updated`) so screens fetch the new list. The event carries no notice text or image:
 * images may be 200 KB each, and the event log keeps every event for ever.
 */
import { randomBytes } from 'node:crypto';
import type { Notice, NoticeInput } from '../contract/manager.ts';
import { createNoticesRepository } from '../db/notices.ts';
import type { Db } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import type { AuditLog } from './audit.ts';
import type { CommandPath, Outcome } from './command-path.ts';
import type { Actor } from './hall.ts';

export type NoticesDeps = {
  db: Db;
  clock: Clock;
  commands: CommandPath;
  audit: AuditLog;
};

export function createNotices(deps: NoticesDeps) {
  const { db, clock, commands, audit } = deps;
  const rows = createNoticesRepository(db);

  function list(): Notice[] {
    return rows.all().map((r) => ({
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
      rows.replace(
        next.map((n) => ({
          id: n.id,
          text_zh: n.text.zh,
          text_en: n.text.en,
          image_url: n.imageUrl ?? null,
        })),
      );
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
