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
  // Only the pages' own files: the built pages' assets and the voice clips. Never the rest of dist/
  // (`npm start` builds the server bundle, its source map and the migrations there too).
  router.use(
    '/assets',
    // Hashed assets never change under their name.
    express.static(join(distDir, 'assets'), { immutable: true, maxAge: '1y', index: false }),
  );
  // A hall may replace the voice clips (and keeps a README beside them): sound files only.
  router.use('/voice', (req, res, next) => (AUDIO.test(req.path) ? next() : notFound(req, res, next)));
  router.use('/voice', express.static(voiceDir, { index: false, maxAge: '1h' }));
  router.use(notFound);
  return router;
}

/** Anything else: a plain 404 that does not echo the path. */
const notFound: express.RequestHandler = (_req, res) => {
  res.status(404).type('text/plain').send('未找到 / Not found');
};

const AUDIO = /\.(wav|mp3|ogg|opus|m4a|aac|webm)$/i;
