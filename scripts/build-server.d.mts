/** Path of the production server bundle. */
export const SERVER_BUNDLE: string;
/** Builds dist/server/main.mjs (or `outDir`/main.mjs) when missing or stale; resolves with its path. */
export function buildServer(outDir?: string): Promise<string>;
