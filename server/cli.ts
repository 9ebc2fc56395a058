/**
 * The installer's command line: `npm run hallq -- <command>`, on the same HALLQ_CONFIG and HALLQ_DB as
 * the server. Outside demo mode it is how the first manager and the kiosk tokens come to exist.
 *
 *   user add --username li --name 李经理 --role manager   (password read from standard input)
 *   kiosk-token <kioskId>                                 (prints a token for the kiosk's URL)
 *   backup [--json] <file>    (an online, checked copy of the database; the hall may be running)
 *   restore <file>            (replaces the database with a backup; the hall must be stopped)
 */

import { resolve } from 'node:path';
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createAuth } from './app/auth.ts';
import { ConfigError, DEMO_PASSWORDS, loadSettings } from './config.ts';
import { ROLES } from './contract/api.ts';
import { hallId, username } from './contract/schemas.ts';
import { BackupError, backupDatabase, restoreDatabase } from './db/backup.ts';
import { DatabaseInUse } from './db/lock.ts';
import { openDatabase } from './db/open.ts';
import { systemClock } from './domain/clock.ts';

const userArgs = z.strictObject({
  username,
  name: z.string().min(1),
  role: z.enum(ROLES),
});

async function readPassword(): Promise<string> {
  const rl = createInterface({ input: process.stdin, output: process.stderr, terminal: false });
  process.stderr.write('password (at least 10 characters): ');
  for await (const line of rl) {
    rl.close();
    return line.trim();
  }
  return '';
}

const USAGE = `usage: hallq user add --username NAME --name "Display name" --role staff|manager
       hallq kiosk-token KIOSK_ID
       hallq backup [--json] FILE
       hallq restore FILE
`;

/** A file named on the command line, relative to where the installer typed it (npm runs us elsewhere). */
const fileArgument = (file: string) => resolve(process.env.INIT_CWD ?? process.cwd(), file);
const mb = (bytes: number) => `${(bytes / 1024 / 1024).toFixed(1)} MB`;

/** `backup` and `restore` work on the file itself: they never open (or migrate) it as the hall does. */
async function fileCommand(dbPath: string, command: 'backup' | 'restore', argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: { json: { type: 'boolean', default: false } },
    allowPositionals: true,
  });
  if (positionals.length !== 1) {
    process.stderr.write(USAGE);
    return 2;
  }
  const file = fileArgument(positionals[0]!);
  if (command === 'backup') {
    const made = await backupDatabase(dbPath, file);
    process.stdout.write(
      values.json
        ? `${JSON.stringify(made)}\n`
        : `backup of ${dbPath} written to ${made.file}: ${mb(made.bytes)}, schema ${made.schema}, ${made.tickets} tickets, integrity ok\n`,
    );
    return 0;
  }
  const { restored, keptAside } = await restoreDatabase(file, dbPath);
  process.stdout.write(
    `${dbPath} restored from ${file}: schema ${restored.schema}, ${restored.tickets} tickets, integrity ok\n` +
      (keptAside ? `the database it replaced is kept as ${keptAside}\n` : ''),
  );
  return 0;
}

async function main(argv: string[]): Promise<number> {
  const settings = loadSettings(process.env);
  const [command, sub] = argv;
  if (command === 'backup' || command === 'restore')
    return fileCommand(settings.dbPath, command, argv.slice(1));
  const db = openDatabase(settings.dbPath);
  const auth = createAuth(db, systemClock);
  try {
    if (command === 'user' && sub === 'add') {
      const { values } = parseArgs({
        args: argv.slice(2),
        options: { username: { type: 'string' }, name: { type: 'string' }, role: { type: 'string' } },
      });
      const parsed = userArgs.safeParse(values);
      if (!parsed.success)
        throw new ConfigError(
          parsed.error.issues.map((i) => `--${i.path.join('.')}: ${i.message}`).join('\n'),
        );
      const password = await readPassword();
      if (password.length < 10 || (Object.values(DEMO_PASSWORDS) as string[]).includes(password))
        throw new ConfigError(
          'the password must have at least 10 characters and must not be a demo password',
        );
      auth.upsertUser({ id: parsed.data.username, ...parsed.data }, await auth.hashPassword(password));
      process.stdout.write(`user ${parsed.data.username} (${parsed.data.role}) saved\n`);
      return 0;
    }
    if (command === 'kiosk-token' && sub && hallId.safeParse(sub).success) {
      const token = auth.createDeviceToken('kiosk', sub);
      process.stdout.write(`${token}\nOpen the kiosk at /kiosk/?kiosk=${sub}&token=${token}\n`);
      return 0;
    }
    process.stderr.write(USAGE);
    return 2;
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    // Refusals the installer can act on are one line; anything else is a bug and keeps its stack.
    const plain =
      error instanceof ConfigError || error instanceof BackupError || error instanceof DatabaseInUse;
    console.error(plain ? error.message : error);
    process.exit(error instanceof ConfigError ? 2 : error instanceof DatabaseInUse ? 3 : 1);
  },
);
