/**
 * Keeps the dependency direction of ARCHITECTURE.md true by reading every import line:
 *   kiosk, display ──► server/contract ◄── server/http ──► server/app ──► server/domain
 *   kiosk ──► display/common (only that part of display)
 *   server/app ──► server/db, server/integrations, hardware;  hardware never ──► server
 *   server/main.ts (and the CLI) ──► everything.
 *   hq/pages ──► hq/contract ──► server/contract;  hq/domain ──► server/domain (the hall's own statistics);
 *   hq/server (HQ's composition root) ──► the hall's parts it reuses; nothing of the hall ──► hq.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');

function sourceFiles(dir: string): string[] {
  return readdirSync(join(ROOT, dir), { withFileTypes: true, recursive: true })
    .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
    .map((e) => relative(ROOT, join(e.parentPath, e.name)));
}

/** Import specifiers of a file: static, dynamic, and re-exports. */
function importsOf(source: string): string[] {
  const found: string[] = [];
  const patterns = [
    /^\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]/gm,
    /^\s*import\s*['"]([^'"]+)['"]/gm,
    /import\(\s*['"]([^'"]+)['"]\s*\)/g,
  ];
  for (const p of patterns) for (const m of source.matchAll(p)) found.push(m[1]!);
  return found;
}

/** Which part of the tree a file or a resolved import belongs to. */
function partOf(path: string): string {
  const p = path.replaceAll('\\', '/');
  for (const part of [
    'server/contract',
    'server/domain',
    'server/db',
    'server/app',
    'server/http',
    'server/integrations',
  ])
    if (p.startsWith(`${part}/`)) return part;
  if (p === 'server/main.ts' || p === 'server/cli.ts') return 'server/root';
  if (p === 'server/config.ts') return 'server/config';
  if (p.startsWith('display/common/')) return 'display/common';
  if (p === 'hq/contract.ts' || p === 'hq/schemas.ts') return 'hq/contract';
  for (const part of ['hq/domain', 'hq/server', 'hq/pages']) if (p.startsWith(`${part}/`)) return part;
  for (const part of ['hardware', 'kiosk', 'display', 'tests', 'scripts'])
    if (p.startsWith(`${part}/`)) return part;
  return 'outside';
}

/** What each part may import from the project (packages are checked separately below). */
const allowed: Record<string, string[]> = {
  'server/contract': ['server/contract'],
  'server/domain': ['server/domain', 'server/contract'],
  'server/db': ['server/db', 'server/domain', 'server/contract'],
  'server/config': ['server/domain', 'server/contract'],
  'server/integrations': ['server/integrations', 'server/domain', 'server/contract'],
  'server/app': [
    'server/app',
    'server/domain',
    'server/db',
    'server/integrations',
    'server/contract',
    'server/config',
    'hardware',
  ],
  'server/http': ['server/http', 'server/app', 'server/contract'],
  hardware: ['hardware'],
  // The kiosk shares display/common's voice-pack player, audio queue and clip names with the wall (its
  // elderly-mode prompts play from the wall's voice pack), so one implementation serves both. Only
  // display/common: the wall, counter and manager pages stay out of the kiosk bundle.
  kiosk: ['kiosk', 'server/contract', 'display/common'],
  display: ['display', 'display/common', 'server/contract'],
  // Shared by the display pages and the kiosk, so it may depend on neither.
  'display/common': ['display/common', 'server/contract'],
  'hq/contract': ['hq/contract', 'server/contract'],
  // HQ counts with the hall's own statistics (server/domain/stats.ts), so their figures agree.
  'hq/domain': ['hq/domain', 'hq/contract', 'server/domain', 'server/contract'],
  // HQ's composition root: its own parts, and the hall's that it reuses (sessions, errors, the sender
  // and the hall engine its simulated halls run on).
  'hq/server': [
    'hq/server',
    'hq/domain',
    'hq/contract',
    'server/contract',
    'server/domain',
    'server/db',
    'server/app',
    'server/http',
    'server/config',
  ],
  // The HQ pages share the manager pages' charts and the common text and formats.
  'hq/pages': ['hq/pages', 'hq/contract', 'server/contract', 'display', 'display/common'],
};

/** Packages with I/O that must stay out of the pure parts and the browser. */
const ioPackages = /^(node:|better-sqlite3|express|serialport|@serialport|node-thermal-printer|pg$)/;

describe('architecture', () => {
  const files = ['server', 'hardware', 'kiosk', 'display', 'hq'].flatMap(sourceFiles);

  it('finds the source files it checks', () => {
    expect(files.length).toBeGreaterThan(20);
    expect(files.some((f) => f.startsWith('server/domain/'))).toBe(true);
  });

  it.each(Object.keys(allowed))('%s imports only what the dependency direction allows', (part) => {
    const broken: string[] = [];
    for (const file of files.filter((f) => partOf(f) === part)) {
      for (const spec of importsOf(readFileSync(join(ROOT, file), 'utf8'))) {
        if (spec.startsWith('.')) {
          const target = partOf(relative(ROOT, resolve(ROOT, dirname(file), spec)));
          if (!allowed[part]!.includes(target)) broken.push(`${file} → ${spec} (${target})`);
        } else if (
          [
            'server/domain',
            'server/contract',
            'kiosk',
            'display',
            'display/common',
            'hq/domain',
            'hq/pages',
          ].includes(part) &&
          ioPackages.test(spec)
        ) {
          broken.push(`${file} → ${spec} (I/O package)`);
        }
      }
    }
    expect(broken).toEqual([]);
  });

  it('recognises a broken rule when it sees one', () => {
    expect(importsOf("import { openDatabase } from '../db/open.ts';")).toEqual(['../db/open.ts']);
    expect(
      importsOf("export * from './api.ts';\nconst x = await import('../../hardware/index.ts');"),
    ).toEqual(['./api.ts', '../../hardware/index.ts']);
    expect(partOf(relative(ROOT, resolve(ROOT, 'server/domain', '../db/open.ts')))).toBe('server/db');
    expect(allowed['server/domain']).not.toContain('server/db');
    expect(partOf('display/common/audio/clips.ts')).toBe('display/common');
    expect(partOf('display/wall/main.tsx')).toBe('display');
    expect(allowed.kiosk).not.toContain('display');
  });
});
