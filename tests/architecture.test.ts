/**
 * Keeps the dependency direction of the layout true by reading every import statement:
 *   kiosk, display ──► server/contract ◄── server/http ──► server/app ──► server/domain
 *   kiosk ──► display/common (only that part of display)
 *   server/app ──► server/db, server/integrations, hardware (types only);  hardware never ──► server
 *   server/contract ──► zod and nothing else
 *   server/main.ts (and the CLI) ──► everything, and alone picks the implementations.
 *   hq/pages ──► hq/contract ──► server/contract;  hq/domain ──► server/domain (the hall's own statistics);
 *   hq/server (HQ's composition root) ──► the hall's parts it reuses; nothing of the hall ──► hq.
 * Each rule also runs on a deliberately broken tree (tests/fixtures/architecture/), where it must fail.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '..');
const BROKEN = join(ROOT, 'tests', 'fixtures', 'architecture');

/** One import or re-export: where from, whether it brings values or only types, and which values. */
type Import = { spec: string; typeOnly: boolean; values: string[] };

/** Import and re-export statements of a source file: static, dynamic and side-effect imports. */
function importsOf(source: string): Import[] {
  const found: Import[] = [];
  const statement = /^\s*(import|export)\s+(type\s+)?([^'";]*?)\s*from\s*['"]([^'"]+)['"]/gm;
  for (const [, , typeKeyword, clause, spec] of source.matchAll(statement)) {
    const braces = /\{([^}]*)\}/.exec(clause!)?.[1];
    const named = (braces ?? '')
      .split(',')
      .map((s) => s.trim())
      .filter((s) => s && !s.startsWith('type '))
      .map((s) => s.split(/\s+as\s+/)[0]!);
    const outside = clause!
      .replace(/\{[^}]*\}/, '')
      .replace(/,/g, ' ')
      .trim();
    const values = typeKeyword ? [] : [...named, ...(outside ? [outside] : [])];
    found.push({ spec: spec!, typeOnly: values.length === 0, values });
  }
  for (const [, spec] of source.matchAll(/^\s*import\s*['"]([^'"]+)['"]/gm))
    found.push({ spec: spec!, typeOnly: false, values: ['(side effects)'] });
  for (const [, spec] of source.matchAll(/import\(\s*['"]([^'"]+)['"]\s*\)/g))
    found.push({ spec: spec!, typeOnly: false, values: ['(dynamic)'] });
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

/**
 * What only a composition root (server/main.ts, and the CLI for its own process) may pick: the
 * hardware, the outside systems' implementations, the database and the system clock. Elsewhere in
 * server/ they are passed in, and imported as types only.
 */
const IMPLEMENTATIONS: { module: RegExp; values: 'all' | string[] }[] = [
  { module: /^hardware\//, values: 'all' },
  { module: /^server\/integrations\/(bss|sms|payment)\//, values: 'all' },
  { module: /^server\/db\/open\.ts$/, values: ['openDatabase'] },
  { module: /^server\/domain\/clock\.ts$/, values: ['systemClock'] },
];

/** A tree of source files and the imports each makes, resolved to paths of the tree where relative. */
type Tree = { files: { file: string; imports: (Import & { target: string | null })[] }[] };

function readTree(root: string): Tree {
  const files = ['server', 'hardware', 'kiosk', 'display', 'hq'].flatMap((dir) => {
    try {
      return readdirSync(join(root, dir), { withFileTypes: true, recursive: true })
        .filter((e) => e.isFile() && /\.(ts|tsx)$/.test(e.name) && !/\.test\.tsx?$/.test(e.name))
        .map((e) => relative(root, join(e.parentPath, e.name)).replaceAll('\\', '/'));
    } catch {
      return []; // the broken fixture has only some of the parts
    }
  });
  return {
    files: files.map((file) => ({
      file,
      imports: importsOf(readFileSync(join(root, file), 'utf8')).map((i) => ({
        ...i,
        target: i.spec.startsWith('.')
          ? relative(root, resolve(root, dirname(file), i.spec)).replaceAll('\\', '/')
          : null,
      })),
    })),
  };
}

/** The rules; each returns its violations, `file → import (why)`. */
const RULES = {
  'each part imports only what the dependency direction allows': (tree: Tree) =>
    tree.files.flatMap(({ file, imports }) => {
      const part = partOf(file);
      const pure = [
        'server/domain',
        'server/contract',
        'kiosk',
        'display',
        'display/common',
        'hq/domain',
        'hq/pages',
      ].includes(part);
      return imports.flatMap(({ spec, target }) => {
        if (target !== null) {
          const to = partOf(target);
          return allowed[part] && !allowed[part].includes(to) ? [`${file} → ${spec} (${to})`] : [];
        }
        return pure && ioPackages.test(spec) ? [`${file} → ${spec} (I/O package)`] : [];
      });
    }),

  'the contract imports only zod': (tree: Tree) =>
    tree.files
      .filter(({ file }) => partOf(file) === 'server/contract')
      .flatMap(({ file, imports }) =>
        imports
          .filter(({ spec, target }) =>
            target === null ? spec !== 'zod' : partOf(target) !== 'server/contract',
          )
          .map(({ spec }) => `${file} → ${spec}`),
      ),

  'server/app imports hardware types only': (tree: Tree) =>
    tree.files
      .filter(({ file }) => partOf(file) === 'server/app')
      .flatMap(({ file, imports }) =>
        imports
          .filter(({ target, typeOnly }) => target !== null && partOf(target) === 'hardware' && !typeOnly)
          .map(({ spec, values }) => `${file} → ${spec} (${values.join(', ')})`),
      ),

  'only the composition root picks implementations': (tree: Tree) =>
    tree.files
      .filter(({ file }) => file.startsWith('server/') && partOf(file) !== 'server/root')
      .flatMap(({ file, imports }) =>
        imports.flatMap(({ spec, target, values }) => {
          if (target === null)
            return spec === 'better-sqlite3' && !file.startsWith('server/db/') && values.length
              ? [`${file} → ${spec} (${values.join(', ')})`]
              : [];
          const rule = IMPLEMENTATIONS.find(({ module }) => module.test(target));
          // A family of implementations may use its own parts.
          if (!rule || rule.module.test(file)) return [];
          const picked = rule.values === 'all' ? values : values.filter((v) => rule.values.includes(v));
          return picked.length > 0 ? [`${file} → ${spec} (${picked.join(', ')})`] : [];
        }),
      ),
} satisfies Record<string, (tree: Tree) => string[]>;

describe('architecture', () => {
  const tree = readTree(ROOT);

  it('finds the source files it checks', () => {
    expect(tree.files.length).toBeGreaterThan(20);
    expect(tree.files.some((f) => f.file.startsWith('server/domain/'))).toBe(true);
    expect(tree.files.find((f) => f.file === 'server/main.ts')?.imports.length).toBeGreaterThan(10);
  });

  it.each(Object.keys(RULES) as (keyof typeof RULES)[])('%s', (rule) => {
    expect(RULES[rule](tree)).toEqual([]);
  });
});

describe('architecture rules on a deliberately broken tree', () => {
  const broken = readTree(BROKEN);
  /** What each rule must find in tests/fixtures/architecture, and nothing else. */
  const expected: Record<keyof typeof RULES, string[]> = {
    'each part imports only what the dependency direction allows': [
      'server/contract/api.ts → express (I/O package)',
      'server/http/wiring.ts → ../db/open.ts (server/db)',
      'server/http/wiring.ts → ../domain/clock.ts (server/domain)',
    ],
    'the contract imports only zod': ['server/contract/api.ts → express'],
    'server/app imports hardware types only': ['server/app/calls.ts → ../../hardware/led.ts (BLINK_SECONDS)'],
    'only the composition root picks implementations': [
      'server/app/calls.ts → ../../hardware/led.ts (BLINK_SECONDS)',
      'server/http/wiring.ts → ../db/open.ts (openDatabase)',
      'server/http/wiring.ts → ../domain/clock.ts (systemClock)',
    ],
  };

  it.each(Object.keys(RULES) as (keyof typeof RULES)[])('%s: fails there', (rule) => {
    expect(RULES[rule](broken).sort()).toEqual(expected[rule].sort());
  });

  it('reads type-only imports as types, and every other kind of import as values', () => {
    const source = [
      "import type { A } from './a.ts';",
      "import { type B, type C } from './b.ts';",
      "import D, { type E, F as G } from './d.ts';",
      "export { H } from './h.ts';",
      "export type { I } from './i.ts';",
      "import * as all from './all.ts';",
      "import './side.ts';",
      "const lazy = await import('./lazy.ts');",
    ].join('\n');
    expect(importsOf(source)).toEqual([
      { spec: './a.ts', typeOnly: true, values: [] },
      { spec: './b.ts', typeOnly: true, values: [] },
      { spec: './d.ts', typeOnly: false, values: ['F', 'D'] },
      { spec: './h.ts', typeOnly: false, values: ['H'] },
      { spec: './i.ts', typeOnly: true, values: [] },
      { spec: './all.ts', typeOnly: false, values: ['* as all'] },
      { spec: './side.ts', typeOnly: false, values: ['(side effects)'] },
      { spec: './lazy.ts', typeOnly: false, values: ['(dynamic)'] },
    ]);
  });
});
