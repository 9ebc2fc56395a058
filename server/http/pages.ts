import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { Router } from 'express';

/** Public paths of the built pages (vite.config.ts lists their sources). */
export const PAGE_PATHS: Record<string, string> = {
  '/': 'display/landing/index.html',
  '/kiosk/': 'kiosk/index.html',
  '/book/': 'kiosk/book/index.html',
  '/display/': 'display/wall/index.html',
  '/counter/': 'display/counter/index.html',
  '/manager/': 'display/manager/index.html',
};

export function pagesRouter(distDir: string, voiceDir: string): Router {
  const router = Router();
  const sendPage =
    (file: string): express.RequestHandler =>
    (_req, res) => {
      const path = join(distDir, file);
      if (!existsSync(path)) {
        res
          .status(503)
          .type('text/plain')
          .send('页面尚未构建 / The pages are not built yet: run `npm run build`.');
        return;
      }
      res.setHeader('Cache-Control', 'no-cache');
      res.sendFile(path);
    };
  for (const [path, file] of Object.entries(PAGE_PATHS)) {
    router.get(path, sendPage(file));
    if (path !== '/') router.get(path.slice(0, -1), (_req, res) => res.redirect(301, path));
  }
  router.get('/t/:id', sendPage('kiosk/track/index.html'));
  // Hashed assets never change under their name; voice clips and other files may be replaced by a hall.
  router.use(
    '/assets',
    express.static(join(distDir, 'assets'), { immutable: true, maxAge: '1y', index: false }),
  );
  router.use('/voice', express.static(voiceDir, { index: false, maxAge: '1h' }));
  router.use(express.static(distDir, { index: false, maxAge: '1h' }));
  return router;
}
