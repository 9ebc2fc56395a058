/**
 * Page weight: the gzip size of the JavaScript each page loads — its module script and every
 * modulepreload link of its built index.html — from `dist/`. When `dist/` is missing the pages are built
 * into a temporary folder (the shared `dist/` is left alone).
 */
import { execFile } from 'node:child_process';
import { existsSync, readFileSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import { gzipSync } from 'node:zlib';
import { type BenchRow, ROOT, tempDir } from './lib.ts';

const PAGES = [
  { name: 'kiosk', html: 'kiosk/index.html', targetKb: 60 },
  { name: 'wall display', html: 'display/wall/index.html', targetKb: 50 },
  { name: 'counter', html: 'display/counter/index.html', targetKb: 60 },
  { name: 'manager', html: 'display/manager/index.html', targetKb: 120 },
] as const;

/** The JS files a built page loads at once: `<script type="module" src>` and `<link rel="modulepreload" href>`. */
export function pageScripts(html: string): string[] {
  const files = new Set<string>();
  for (const tag of html.match(/<(script|link)\b[^>]*>/gi) ?? []) {
    const isModule = /^<script/i.test(tag) && /\btype=["']?module/i.test(tag);
    const isPreload = /^<link/i.test(tag) && /\brel=["']?modulepreload/i.test(tag);
    const src = /\b(?:src|href)=["']([^"']+)["']/i.exec(tag)?.[1];
    if ((isModule || isPreload) && src && !/^[a-z]+:/i.test(src)) files.add(src);
  }
  return [...files];
}

export async function benchPages(builtDir = join(ROOT, 'dist')): Promise<BenchRow[]> {
  let dist = builtDir;
  // The shared dist/ may be older than the sources: say when it was built.
  let note = existsSync(dist) ? ` (dist/ of ${statSync(dist).mtime.toISOString().slice(0, 16)}Z)` : '';
  const scratch = tempDir('pages');
  try {
    if (!existsSync(dist)) {
      dist = join(scratch.path, 'dist');
      try {
        await promisify(execFile)(
          process.execPath,
          [
            join(ROOT, 'node_modules/vite/bin/vite.js'),
            'build',
            '--outDir',
            dist,
            '--emptyOutDir',
            '--logLevel',
            'error',
          ],
          { cwd: ROOT, timeout: 120_000 },
        );
        note = ' (built now)';
      } catch (error) {
        // The line that says what went wrong, without colours, stack or vite's preamble.
        const text = `${(error as { stderr?: string }).stderr ?? ''}\n${error instanceof Error ? error.message : String(error)}`;
        const message =
          text
            // biome-ignore lint/suspicious/noControlCharactersInRegex: strips ANSI colour codes
            .replace(/\x1b\[[0-9;]*m/g, '')
            .split('\n')
            .map((l) => l.trim())
            .find(
              (l) => l && !/^(✗ )?build failed|^error during build|^at |^command failed|^\[?errors/i.test(l),
            ) ?? 'see `npx vite build`';
        return [
          {
            name: `page JS, gzip (${PAGES.map((p) => p.name).join(', ')})`,
            figure: `not built: vite build failed: ${message}`.slice(0, 120),
            target: `${PAGES.map((p) => p.targetKb).join(' / ')} KB`,
            ok: null,
          },
        ];
      }
    }
    return PAGES.map((page) => {
      const htmlPath = join(dist, page.html);
      if (!existsSync(htmlPath))
        return {
          name: `${page.name} page JS, gzip`,
          figure: `not built (${page.html} missing)`,
          target: `≤ ${page.targetKb} KB`,
          ok: null,
        };
      const html = readFileSync(htmlPath, 'utf8');
      const pageDir = resolve(htmlPath, '..');
      let bytes = 0;
      const scripts = pageScripts(html);
      for (const src of scripts) {
        const file = src.startsWith('/') ? join(dist, src) : resolve(pageDir, src);
        bytes += gzipSync(readFileSync(file), { level: 9 }).length;
      }
      const kb = bytes / 1024;
      return {
        name: `${page.name} page JS, gzip (${scripts.length} file${scripts.length === 1 ? '' : 's'})${note}`,
        figure: `${kb.toFixed(1)} KB`,
        target: `≤ ${page.targetKb} KB`,
        ok: kb <= page.targetKb,
      };
    });
  } finally {
    scratch.remove();
  }
}
