import type { Server } from 'node:http';

type Layer = {
  route?: { path: string; methods: Record<string, boolean> };
  handle?: { stack?: Layer[] };
  matchers?: unknown[];
  /** Express 5 (router 2) keeps the mount path of `app.use(path, router)` here. */
  slash?: boolean;
  path?: string;
};

/**
 * Every route the running hall's Express app has registered, as `METHOD /path` under the API base
 * (sub-routers walked), so a test can insist that each one is covered.
 */
export function registeredRoutes(server: Server, base: string): string[] {
  const app = server.listeners('request')[0] as unknown as { router: { stack: Layer[] } };
  const routes: string[] = [];
  const walk = (stack: Layer[], prefix: string) => {
    for (const layer of stack) {
      if (layer.route) {
        for (const method of Object.keys(layer.route.methods))
          routes.push(`${method.toUpperCase()} ${prefix}${layer.route.path}`);
      } else if (layer.handle?.stack) walk(layer.handle.stack, prefix);
    }
  };
  const apiLayer = app.router.stack.find((l) => l.handle?.stack && l.matchers);
  if (!apiLayer?.handle?.stack) throw new Error(`no router mounted at ${base}`);
  walk(apiLayer.handle.stack, '');
  return routes;
}
