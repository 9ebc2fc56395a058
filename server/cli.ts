/**
 * The installer's command line: `npm run hallq -- <command>`, on the same HALLQ_CONFIG and HALLQ_DB as
 * the server. Outside demo mode it is how the first manager and the kiosk tokens come to exist.
 *
 *   user add --username li --name 李经理 --role manager   (password read from standard input)
 *   kiosk-token <kioskId>                                 (prints a token for the kiosk's URL)
 */
import { createInterface } from 'node:readline/promises';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import { createAuth } from './app/auth.ts';
import { ConfigError, DEMO_PASSWORDS, loadSettings } from './config.ts';
import { ROLES } from './contract/api.ts';
import { openDatabase } from './db/open.ts';
import { systemClock } from './domain/clock.ts';

const userArgs = z.strictObject({
  username: z.string().regex(/^[a-z0-9._-]{2,32}$/, 'lowercase letters, digits, . _ -'),
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

async function main(argv: string[]): Promise<number> {
  const settings = loadSettings(process.env);
  const db = openDatabase(settings.dbPath);
  const auth = createAuth(db, systemClock);
  const [command, sub] = argv;
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
    if (command === 'kiosk-token' && sub && /^[A-Za-z0-9_-]{1,32}$/.test(sub)) {
      const token = auth.createDeviceToken('kiosk', sub);
      process.stdout.write(`${token}\nOpen the kiosk at /kiosk/?kiosk=${sub}&token=${token}\n`);
      return 0;
    }
    process.stderr.write(
      'usage: hallq user add --username NAME --name "Display name" --role staff|manager\n       hallq kiosk-token KIOSK_ID\n',
    );
    return 2;
  } finally {
    db.close();
  }
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error instanceof ConfigError ? error.message : error);
    process.exit(error instanceof ConfigError ? 2 : 1);
  },
);
