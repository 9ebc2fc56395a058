import { resolve } from 'node:path';
import preact from '@preact/preset-vite';
import { defineConfig } from 'vite';

/** Every page HallQ serves; server/http/pages.ts maps them to their public paths. */
export const pages = {
  landing: 'display/landing/index.html',
  kiosk: 'kiosk/index.html',
  track: 'kiosk/track/index.html',
  book: 'kiosk/book/index.html',
  wall: 'display/wall/index.html',
  counter: 'display/counter/index.html',
  manager: 'display/manager/index.html',
  /** Served by HQ's own process at /hq/ (hq/server/http.ts), not by a hall. */
  hq: 'hq/pages/index.html',
} as const;

const serverPort = Number(process.env.PORT ?? 8080);

export default defineConfig({
  plugins: [preact()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    rolldownOptions: {
      input: Object.fromEntries(
        Object.entries(pages).map(([name, file]) => [name, resolve(import.meta.dirname, file)]),
      ),
    },
  },
  server: {
    // `npm run dev`: vite serves the pages, the HallQ server answers the API.
    proxy: { '/api': { target: `http://127.0.0.1:${serverPort}`, changeOrigin: false } },
  },
});
