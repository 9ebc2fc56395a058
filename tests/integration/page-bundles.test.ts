/**
 * No page carries zod. The contract keeps its zod schemas in modules only the server loads
 * (schemas.ts, kiosk-schemas.ts, manager-schemas.ts, answers.ts); the pages import the types and
 * constants beside them (api.ts, kiosk.ts, manager.ts, …), which import zod for types only. This reads
 * the production build of every page vite builds: the scripts its index.html loads, everything they
 * import, statically or lazily, and looks there for zod's code.
 */
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { build } from 'vite';
import { describe, expect, it } from 'vitest';
import { pages } from '../../vite.config.ts';
import { builtPages } from '../helpers/http.ts';
import { tempDir } from '../helpers/temp-dir.ts';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** zod 4 names its classes `$ZodType`, `$ZodString`, … and keeps its internals on `_zod`: names minifiers keep. */
const ZOD_CODE = /\$Zod[A-Z]\w*|\._zod\b/;

/** Every JavaScript file a built page loads, from its index.html down through the imports. */
function pageScripts(dist: string, html: string): string[] {
  const found = new Set<string>();
  const visit = (file: string) => {
    if (found.has(file) || !existsSync(file)) return;
    found.add(file);
    for (const [, spec] of readFileSync(file, 'utf8').matchAll(/["'`]([^"'`\s]+\.js)["'`]/g))
      visit(locate(dist, file, spec!));
  };
  const page = readFileSync(html, 'utf8');
  for (const [, src] of page.matchAll(/<(?:script|link)\b[^>]*\b(?:src|href)="([^"]+\.js)"/g))
    visit(locate(dist, html, src!));
  return [...found];
}

/** A file named from `from`: relative to it (`./x.js`), to the site (`/assets/x.js`), or to the base (`assets/x.js`). */
function locate(dist: string, from: string, spec: string): string {
  if (spec.startsWith('./') || spec.startsWith('../')) return resolve(dirname(from), spec);
  return join(dist, spec.replace(/^\//, ''));
}

describe('page bundles', () => {
  const dist = builtPages();

  it.each(Object.entries(pages))('%s (%s) loads no zod', (_name, html) => {
    const scripts = pageScripts(dist, join(dist, html));
    expect(scripts.length).toBeGreaterThan(0);
    const withZod = scripts.filter((file) => ZOD_CODE.test(readFileSync(file, 'utf8')));
    expect(withZod.map((file) => relative(dist, file))).toEqual([]);
  });

  it('would see zod in a page: one that imports a schema module, built the same way, is caught', async () => {
    // A page of its own inside the checkout (vite builds pages from inside its root), lazily importing
    // the kiosk's schemas, so the import must be followed into a chunk of its own.
    const pageDir = mkdtempSync(join(ROOT, 'tests', '.zod-probe-'));
    const outDir = tempDir();
    try {
      writeFileSync(
        join(pageDir, 'index.html'),
        '<!doctype html><script type="module" src="./main.ts"></script>',
      );
      writeFileSync(
        join(pageDir, 'main.ts'),
        "const { feedbackRequest } = await import('../../server/contract/kiosk-schemas.ts');\n" +
          'document.title = String(feedbackRequest.safeParse({}).success);\n',
      );
      await build({
        configFile: false,
        root: ROOT,
        logLevel: 'silent',
        build: { outDir, emptyOutDir: true, rolldownOptions: { input: join(pageDir, 'index.html') } },
      });
      const html = join(outDir, relative(ROOT, pageDir), 'index.html');
      const scripts = pageScripts(outDir, html);
      expect(scripts.length).toBeGreaterThan(1);
      expect(scripts.some((file) => ZOD_CODE.test(readFileSync(file, 'utf8')))).toBe(true);
    } finally {
      rmSync(pageDir, { recursive: true, force: true });
    }
  });
});
