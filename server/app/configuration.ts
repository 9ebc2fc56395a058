/**
 * The hall's configuration as the manager edits it: stored in SQLite (one JSON document per version,
 * migration 006), validated by the same schema as the file, audited before → after, applied live
 * (the hall rebuilds its maps; statistics and the kiosk read the current version through a getter) and
 * announced to screens as `hall.configured`. Staff accounts live in `users` and are edited here too.
 */
import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PrinterSpec } from '../../hardware/index.ts';
import {
  ConfigError,
  counterConfig,
  counterServiceWeights,
  describeIssues,
  type HallConfig,
  hallConfigSchema,
  serviceConfig,
} from '../config.ts';
import { ROLES } from '../contract/api.ts';
import type { HqCatalogueService } from '../contract/hq.ts';
import type { ConfigView, StaffMember, StaffPassword } from '../contract/manager.ts';
import { deviceConfig, username } from '../contract/schemas.ts';
import { type AccountRow, createAccountsRepository } from '../db/accounts.ts';
import { createConfigurationRepository } from '../db/configuration.ts';
import type { Db } from '../db/open.ts';
import type { Clock } from '../domain/clock.ts';
import type { AuditLog } from './audit.ts';
import type { Auth } from './auth.ts';
import { type CommandPath, type Outcome, ok, type Refusal, refusal } from './command-path.ts';
import type { Actor, Hall } from './hall.ts';
import { devicePathProblem, printerProblem, type WebConnectionRule } from './web-connections.ts';

export const servicesRequest = z.array(serviceConfig).min(1).max(50);
export const countersRequest = z.array(counterConfig).min(1).max(50);
export const devicesRequest = z.array(deviceConfig).max(100);
export const printerRequest = z.strictObject({ connection: z.string().trim().min(1).max(300) });
const personName = z.string().trim().min(1, 'a name').max(64);
export const createStaffRequest = z.strictObject({ username, name: personName, role: z.enum(ROLES) });
export const updateStaffRequest = z
  .strictObject({
    name: personName.optional(),
    role: z.enum(ROLES).optional(),
    disabled: z.boolean().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'give `name`, `role` or `disabled`');

const hashOf = (config: HallConfig) => createHash('sha256').update(JSON.stringify(config)).digest('hex');

/**
 * The configuration in force at boot. The first start stores the file's (or the demo's); later starts
 * keep the stored one, which the manager may have edited — unless the installer changed the file since,
 * in which case the file's is stored as a new version (audited as `config.file`): the file is the
 * installer's word, the UI the manager's, and the newer word wins.
 */
export function bootConfiguration(
  db: Db,
  fromFile: HallConfig,
  clock: Clock,
  audit: AuditLog,
): { config: HallConfig; version: number } {
  const versions = createConfigurationRepository(db);
  const seed = hashOf(fromFile);
  const latest = versions.latest();
  if (latest && latest.seed_hash === seed) {
    const parsed = hallConfigSchema.safeParse(JSON.parse(latest.config));
    if (!parsed.success)
      throw new ConfigError(describeIssues(parsed.error, `stored configuration version ${latest.version}`));
    return { config: parsed.data, version: latest.version };
  }
  const version = (latest?.version ?? 0) + 1;
  const at = clock.now();
  db.transaction(() => {
    versions.add({ version, config: JSON.stringify(fromFile), seed_hash: seed, at, user_id: null });
    audit.record({
      at,
      userId: null,
      action: latest ? 'config.file' : 'config.seed',
      target: 'configuration',
      before: latest ? editable(JSON.parse(latest.config) as HallConfig) : null,
      after: editable(fromFile),
    });
  })();
  return { config: fromFile, version };
}

type Section = 'services' | 'counters' | 'devices' | 'printer';

/** The parts the manager edits (or one of them), as the audit log shows them. */
function editable(config: HallConfig, section?: Section) {
  if (section) return { [section]: config[section] };
  return {
    services: config.services,
    counters: config.counters,
    devices: config.devices,
    printer: config.printer,
  };
}

/** A 400 naming each offending field of the body. */
function invalid(fields: { path: string; message: string }[]): Refusal {
  const text = fields.map((f) => `${f.path}: ${f.message}`).join('; ');
  return refusal(400, 'invalid-request', `invalid body: ${text}`, { fields });
}

export type ConfigurationDeps = {
  db: Db;
  clock: Clock;
  audit: AuditLog;
  auth: Auth;
  hall: Hall;
  commands: CommandPath;
  initial: { config: HallConfig; version: number };
  /** Re-wires the serial devices to a new list; settles once the old links are closed and the new attached. */
  applyDevices: (devices: HallConfig['devices']) => Promise<void>;
  /** A printer connection read (`problem`: what is wrong with it, or null; `parse` once it is fine). */
  printerUri: { problem: (uri: string) => string | null; parse: (uri: string) => PrinterSpec };
  /** Connects the hall to that printer. */
  applyPrinter: (uri: string) => Promise<void>;
  /** Which printer and device connections a manager may set (web-connections.ts). */
  webConnections: WebConnectionRule;
  log: (line: Record<string, unknown>) => void;
};

export type Configuration = ReturnType<typeof createConfiguration>;

export function createConfiguration(deps: ConfigurationDeps) {
  const { db, clock, audit, hall, commands } = deps;
  let current = deps.initial.config;
  let version = deps.initial.version;
  const rows = createConfigurationRepository(db);
  const accounts = createAccountsRepository(db);

  const member = (r: AccountRow): StaffMember => ({
    id: r.id,
    username: r.username,
    name: r.name,
    role: r.role,
    disabled: r.disabled === 1,
  });

  function view(): ConfigView {
    return {
      version,
      hours: current.hours,
      services: current.services.map((s) => ({
        id: s.id,
        prefix: s.prefix,
        name: s.name,
        category: s.category,
        waitTargetMinutes: s.waitTargetMinutes,
        ...(s.hours ? { hours: s.hours } : {}),
        selfService: s.selfService,
        enabled: s.enabled,
      })),
      counters: current.counters.map((c) => ({
        id: c.id,
        name: c.name,
        services: counterServiceWeights(c).map((s) => ({ id: s.serviceId, weight: s.weight })),
        elderlyFirst: c.elderlyFirst,
      })),
      devices: current.devices,
      printer: current.printer ?? null,
      kiosks: current.kiosks.map((k) => k.id),
      staff: accounts.all().map(member),
    };
  }

  /**
   * Validates the whole configuration with one section replaced. A problem inside the section is the
   * request's (400, naming the field); one elsewhere is a reference the change would break (409).
   */
  function validate(section: Section, next: HallConfig): Outcome<HallConfig> {
    const parsed = hallConfigSchema.safeParse(next);
    if (parsed.success) return { ok: true, value: parsed.data };
    const own = parsed.error.issues.filter((i) => i.path[0] === section);
    const issues = own.length > 0 ? own : parsed.error.issues;
    const message = issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ');
    if (own.length > 0)
      return invalid(own.map((i) => ({ path: `body.${i.path.slice(1).join('.')}`, message: i.message })));
    return refusal(409, 'reference-conflict', `this change would break a reference: ${message}`);
  }

  /** Stores, audits, applies and announces a new configuration, all or nothing. `actor` null: HQ's catalogue. */
  function commit(next: HallConfig, actor: Actor | null, section: Section): Outcome<ConfigView> {
    const before = editable(current, section);
    const seed = rows.seedHashOf(version) ?? hashOf(current);
    const outcome = commands.run(`config.${section}`, (tx) => {
      const at = clock.now();
      rows.add({
        version: version + 1,
        config: JSON.stringify(next),
        seed_hash: seed,
        at,
        user_id: actor?.id ?? null,
      });
      audit.record({
        at,
        userId: actor?.id ?? null,
        action: actor ? `config.${section}` : 'config.hq-catalogue',
        target: 'configuration',
        before,
        after: editable(next, section),
      });
      hall.reconfigure(next);
      // A removed counter (closed and empty: checked before) leaves the hall, so nobody opens it and
      // routes with no services; its tickets keep its id. Re-adding it makes it anew.
      const kept = new Set(next.counters.map((c) => c.id));
      for (const c of current.counters) if (!kept.has(c.id)) rows.removeClosedCounter(c.id);
      tx.record(
        'hall.configured',
        { version: version + 1, services: hall.serviceViews(), counters: hall.counterViews() },
        actor ? { staffId: actor.id } : {},
      );
    });
    if (!outcome.ok) {
      hall.reconfigure(current, { store: false }); // the hall's maps follow the rollback
      return outcome;
    }
    current = next;
    version += 1;
    return ok(view());
  }

  /** A save made on an older version would silently undo another manager's change: refused. */
  function stale(expected: number | undefined): Refusal | null {
    return expected !== undefined && expected !== version
      ? refusal(
          409,
          'version-conflict',
          `the configuration changed (version ${version}, not ${expected}): reload and try again`,
        )
      : null;
  }

  function replaceServices(
    list: z.infer<typeof servicesRequest>,
    actor: Actor,
    expectedVersion?: number,
  ): Outcome<ConfigView> {
    const conflict = stale(expectedVersion);
    if (conflict) return conflict;
    const kept = new Set(list.map((s) => s.id));
    for (const s of current.services) {
      if (kept.has(s.id)) continue;
      const open = rows.openTicketsOf(s.id);
      if (open > 0)
        return refusal(
          409,
          'service-in-use',
          `service ${s.id} still has ${open} open ticket(s): disable it instead`,
        );
    }
    const checked = validate('services', { ...current, services: list });
    if (!checked.ok) return checked;
    return commit(checked.value, actor, 'services');
  }

  function replaceCounters(
    list: z.infer<typeof countersRequest>,
    actor: Actor,
    expectedVersion?: number,
  ): Outcome<ConfigView> {
    const conflict = stale(expectedVersion);
    if (conflict) return conflict;
    const kept = new Set(list.map((c) => c.id));
    for (const c of current.counters) {
      if (kept.has(c.id)) continue;
      const row = rows.counter(c.id);
      if (row && (row.status !== 'closed' || row.staff_id))
        return refusal(
          409,
          'counter-in-use',
          `counter ${c.id} is ${row.status}: close it before removing it`,
        );
    }
    const checked = validate('counters', { ...current, counters: list });
    if (!checked.ok) return checked;
    return commit(checked.value, actor, 'counters');
  }

  /**
   * Replaces the serial devices: stored and audited like any section, then re-wired while the hall runs
   * (devices whose connection is unchanged stay open). Answers once the new list is attached.
   */
  async function replaceDevices(
    list: z.infer<typeof devicesRequest>,
    actor: Actor,
    expectedVersion?: number,
  ): Promise<Outcome<ConfigView>> {
    const conflict = stale(expectedVersion);
    if (conflict) return conflict;
    const checked = validate('devices', { ...current, devices: list });
    if (!checked.ok) return checked;
    // A path already in force (the installer's, say) may stay; a new one must be a device's.
    const inForce = new Set(current.devices.map((d) => d.path));
    const fields = list.flatMap((d, i) => {
      const problem = d.path && !inForce.has(d.path) ? devicePathProblem(d.path, deps.webConnections) : null;
      return problem ? [{ path: `body.${i}.path`, message: problem }] : [];
    });
    if (fields.length > 0) return invalid(fields);
    const committed = commit(checked.value, actor, 'devices');
    if (committed.ok) await deps.applyDevices(checked.value.devices);
    return committed;
  }

  /** Connects another ticket printer, stored and audited like any section. */
  async function replacePrinter(
    input: z.infer<typeof printerRequest>,
    actor: Actor,
    expectedVersion?: number,
  ): Promise<Outcome<ConfigView>> {
    const conflict = stale(expectedVersion);
    if (conflict) return conflict;
    // The connection in force (the installer's, say) may be saved again; a new one must be allowed.
    const problem =
      deps.printerUri.problem(input.connection) ??
      (input.connection === current.printer
        ? null
        : printerProblem(deps.printerUri.parse(input.connection), deps.webConnections));
    if (problem) return invalid([{ path: 'body.connection', message: problem }]);
    const committed = commit({ ...current, printer: input.connection }, actor, 'printer');
    if (committed.ok) await deps.applyPrinter(input.connection);
    return committed;
  }

  /**
   * HQ's service catalogue for the hall's region (server/app/hq-sender.ts applies it at the next opening
   * day): HQ owns each service's id, prefix, name, category, wait target and self-service; the hall keeps
   * whether it offers it and its hours. A service new to the hall comes disabled (the manager assigns
   * counters and enables it); one the catalogue no longer lists stays, disabled, so no counter loses it.
   */
  function applyCatalogue(catalogue: readonly HqCatalogueService[]): Outcome<ConfigView> {
    const own = new Map(current.services.map((s) => [s.id, s]));
    const listed = new Set(catalogue.map((s) => s.id));
    const services = [
      ...catalogue.map((s) => {
        const mine = own.get(s.id);
        return { ...s, enabled: mine?.enabled ?? false, ...(mine?.hours ? { hours: mine.hours } : {}) };
      }),
      ...current.services.filter((s) => !listed.has(s.id)).map((s) => ({ ...s, enabled: false })),
    ];
    const checked = validate('services', { ...current, services });
    if (!checked.ok) return checked;
    return commit(checked.value, null, 'services');
  }

  /** 16 characters from an alphabet without look-alikes: read off a screen once, typed once. */
  function oneTimePassword(): string {
    const alphabet = 'abcdefghjkmnpqrstuvwxyz23456789';
    return Array.from(randomBytes(16), (b) => alphabet[b % alphabet.length]).join('');
  }

  async function createStaff(
    input: z.infer<typeof createStaffRequest>,
    actor: Actor,
  ): Promise<Outcome<StaffPassword>> {
    const taken = () => accounts.byUsername(input.username) || accounts.byId(input.username);
    if (taken()) return refusal(409, 'username-taken', `username ${input.username} is taken`);
    const password = oneTimePassword();
    const hash = await deps.auth.hashPassword(password);
    // Asked again after the (slow) hash: another manager may have taken the name meanwhile.
    if (taken()) return refusal(409, 'username-taken', `username ${input.username} is taken`);
    return commands.run('staff.create', () => {
      deps.auth.upsertUser({ id: input.username, ...input }, hash);
      audit.record({
        at: clock.now(),
        userId: actor.id,
        action: 'staff.create',
        target: `user:${input.username}`,
        before: null,
        after: input,
      });
      return { user: member(accounts.byId(input.username)!), password };
    });
  }

  function updateStaff(
    id: string,
    change: z.infer<typeof updateStaffRequest>,
    actor: Actor,
  ): Outcome<StaffMember> {
    const row = accounts.byId(id);
    if (!row) return refusal(404, 'user-not-found', `no user ${id}`);
    const before = member(row);
    const after = {
      ...before,
      ...(change.name === undefined ? {} : { name: change.name }),
      ...(change.role === undefined ? {} : { role: change.role }),
      ...(change.disabled === undefined ? {} : { disabled: change.disabled }),
    };
    const losesManager =
      before.role === 'manager' && !before.disabled && (after.role !== 'manager' || after.disabled);
    if (losesManager && accounts.otherActiveManagers(id) === 0)
      return refusal(409, 'last-manager', 'the hall needs at least one active manager');
    const seat = after.disabled && !before.disabled ? rows.seatOf(id) : undefined;
    if (seat)
      return refusal(409, 'staff-seated', `${before.name} is seated at counter ${seat}: close it first`);
    return commands.run('staff.update', () => {
      accounts.update({ id, name: after.name, role: after.role, disabled: after.disabled ? 1 : 0 });
      if (after.disabled || after.role !== before.role) accounts.dropSessionsOf(id);
      audit.record({
        at: clock.now(),
        userId: actor.id,
        action: 'staff.update',
        target: `user:${id}`,
        before,
        after,
      });
      return after;
    });
  }

  async function resetPassword(id: string, actor: Actor): Promise<Outcome<StaffPassword>> {
    if (!accounts.byId(id)) return refusal(404, 'user-not-found', `no user ${id}`);
    const password = oneTimePassword();
    const hash = await deps.auth.hashPassword(password);
    const row = accounts.byId(id);
    if (!row) return refusal(404, 'user-not-found', `no user ${id}`);
    return commands.run('staff.reset-password', () => {
      deps.auth.setPasswordHash(id, hash);
      accounts.dropSessionsOf(id);
      // The password itself is never logged.
      audit.record({
        at: clock.now(),
        userId: actor.id,
        action: 'staff.reset-password',
        target: `user:${id}`,
        before: null,
        after: null,
      });
      return { user: member(row), password };
    });
  }

  return {
    /** The configuration in force now: pass `() => configuration.current()` where a module needs it live. */
    current: () => current,
    view,
    replaceServices,
    replaceCounters,
    replaceDevices,
    replacePrinter,
    applyCatalogue,
    createStaff,
    updateStaff,
    resetPassword,
  };
}

/**
 * A HallConfig whose every property is read from `get()` at the moment it is read: for modules that keep
 * the configuration object and read `config.services` on each use (the kiosk's), so they follow the
 * manager's edits without a restart. Hazard: a module that copies a property at creation keeps the copy.
 */
export function liveConfig(get: () => HallConfig): HallConfig {
  return new Proxy({} as HallConfig, {
    get: (_target, key) => Reflect.get(get(), key),
    has: (_target, key) => Reflect.has(get(), key),
    ownKeys: () => Reflect.ownKeys(get()),
    getOwnPropertyDescriptor: (_target, key) => {
      const d = Reflect.getOwnPropertyDescriptor(get(), key);
      return d ? { ...d, configurable: true } : undefined;
    },
  });
}
