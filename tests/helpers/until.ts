/**
 * Reads until `ok` holds and answers the value that held; after `ms` it fails, saying `what` and the
 * last value read. For what a device or a second connection changes on its own time.
 */
export async function until<T>(
  read: () => T | Promise<T>,
  ok: (v: T) => boolean,
  what: string,
  ms = 5000,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (ok(value)) return value;
    if (Date.now() > deadline) throw new Error(`${what}: still ${JSON.stringify(value)} after ${ms} ms`);
    await new Promise((r) => setTimeout(r, 20));
  }
}
