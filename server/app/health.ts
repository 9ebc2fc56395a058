/**
 * `GET /health`: what is wrong with the hall now, for monitoring and for the manager's live page. It
 * reports the last real write (a probe through the command path at most every few seconds, so no
 * caller can make the hall write on demand), free space, the WAL, the clock and the devices.
 */
import type { HealthAnswer, HealthProblem } from '../contract/api.ts';
import type { HqLinkHealth } from '../contract/hq.ts';
import type { Clock } from '../domain/clock.ts';
import type { BackupStatus } from './backup.ts';
import type { Outcome } from './command-path.ts';
import type { Storage, StorageFaultCode } from './storage.ts';

/** A clock this far behind the hall's time is worth a person's look (NTP steps are usually smaller). */
const CLOCK_BEHIND_WARNING_MS = 60_000;
/** A WAL this large means checkpoints are not keeping up (a reader held open for long?). */
const WAL_WARNING_BYTES = 256 * 1024 * 1024;
/** A hall whose newest nightly backup is older than this has missed at least one night. */
const BACKUP_STALE_MS = 36 * 3_600_000;
/** The write probe runs at most this often, whoever asks. */
const PROBE_EVERY_MS = 5_000;

const FAULT_TEXT: Record<StorageFaultCode, { zh: string; en: string }> = {
  'disk-full': {
    zh: '磁盘已满：暂停取号，腾出空间后自动恢复',
    en: 'The disk is full: no tickets until space is freed; the hall resumes by itself',
  },
  'io-error': {
    zh: '磁盘读写出错：暂停取号，恢复后自动继续',
    en: 'The disk reports errors: no tickets until writes succeed again',
  },
  'read-only': {
    zh: '数据库只读：暂停取号，请检查磁盘',
    en: 'The database has become read-only: no tickets; check the disk',
  },
  'fsync-failed': {
    zh: '数据未能写入磁盘：系统正在重启以保护数据',
    en: 'Data could not be flushed to disk: HallQ restarts to protect it',
  },
  'database-deleted': {
    zh: '数据库文件被删除：数据已救回，系统正在重启',
    en: 'The database file was deleted: its data was saved back; HallQ restarts',
  },
  'wal-deleted': {
    zh: '数据库日志文件被删除：数据已写回，系统正在重启',
    en: 'The database log (WAL) was deleted: its data was saved; HallQ restarts',
  },
  'database-replaced': {
    zh: '数据库文件被替换：已停止取号，数据另存，请联系安装人员',
    en: 'The database file was replaced: tickets stopped, the data was saved aside; call the installer',
  },
  corrupt: {
    zh: '数据库已损坏：已停止取号，请联系安装人员',
    en: 'The database is damaged: tickets stopped; call the installer',
  },
};

export type HealthDeps = {
  storage: Storage;
  /** A real write through the command path. */
  probe: () => Outcome<void>;
  clock: Clock;
  /** How far the wall clock is behind the hall's time, in ms. */
  clockBehindMs: () => number;
  devices: () => HealthAnswer['devices'];
  /** The nightly backups (backup.ts), or null when the hall takes none. */
  backup: () => BackupStatus | null;
  /** The link to HQ (hq-sender.ts), or null when the hall ships to none: not part of `ok`. */
  hq: () => HqLinkHealth | null;
};

export function createHealth(deps: HealthDeps) {
  const { storage, clock } = deps;
  let probedAt = Number.NEGATIVE_INFINITY;

  return function health(): HealthAnswer {
    const now = clock.now();
    if (now - probedAt >= PROBE_EVERY_MS) {
      probedAt = now;
      deps.probe();
    }
    const s = storage.health();
    const problems: HealthProblem[] = [];
    if (s.fault) problems.push({ code: s.fault.code, level: 'error', text: FAULT_TEXT[s.fault.code] });
    if (s.disk && s.disk.freeBytes < s.disk.minFreeBytes) {
      const mb = Math.floor(s.disk.freeBytes / 1024 / 1024);
      problems.push({
        code: 'disk-low',
        level: 'error',
        text: { zh: `磁盘空间不足：仅剩 ${mb} MB`, en: `The disk is nearly full: ${mb} MB left` },
      });
    }
    if (s.wal && s.wal.bytes > WAL_WARNING_BYTES)
      problems.push({
        code: 'wal-large',
        level: 'warning',
        text: { zh: '数据库日志过大，请检查', en: 'The database log (WAL) keeps growing: have it checked' },
      });
    const behindMs = deps.clockBehindMs();
    if (behindMs > CLOCK_BEHIND_WARNING_MS) {
      const minutes = Math.ceil(behindMs / 60_000);
      problems.push({
        code: 'clock-behind',
        level: 'warning',
        text: {
          zh: `系统时钟慢了约 ${minutes} 分钟：大厅时间暂停等待，请校准时钟`,
          en: `The box's clock is about ${minutes} min behind: the hall's time waits for it; set the clock`,
        },
      });
    }
    const backup = deps.backup();
    if (backup?.problem)
      problems.push({
        code: 'backup-failed',
        level: 'warning',
        text: { zh: `夜间备份失败：${backup.problem}`, en: `The nightly backup failed: ${backup.problem}` },
      });
    else if (backup?.last && now - Date.parse(backup.last.at) > BACKUP_STALE_MS)
      problems.push({
        code: 'backup-stale',
        level: 'warning',
        text: { zh: '超过一天没有备份', en: 'No backup for more than a day' },
      });
    const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
    return {
      ok: !problems.some((p) => p.level === 'error'),
      db: s.writable ? 'ok' : 'error',
      // Only what the contract names: a device's detail (its path, its fault) is for the manager's page.
      devices: deps.devices().map(({ id, kind, status }) => ({ id, kind, status })),
      storage: {
        writable: s.writable,
        fault: s.fault ? { code: s.fault.code, since: new Date(s.fault.since).toISOString() } : null,
        lastWriteAt: iso(s.lastWriteAt),
        disk: s.disk,
        wal: s.wal ? { bytes: s.wal.bytes, lastCheckpointAt: iso(s.wal.lastCheckpointAt) } : null,
        lastBackupAt: backup?.last?.at ?? null,
      },
      clock: { behindSeconds: Math.floor(behindMs / 1000) },
      problems,
      hq: deps.hq(),
    };
  };
}

export type Health = ReturnType<typeof createHealth>;
