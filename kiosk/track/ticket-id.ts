/** The ticket id from the tracking page's path, `/t/<id>` (a trailing slash or a prefix is fine). */
export function ticketIdFromPath(pathname: string): string {
  const parts = pathname.split('/').filter(Boolean);
  const at = parts.lastIndexOf('t');
  return at >= 0 && at + 1 < parts.length ? decodeURIComponent(parts[at + 1] ?? '') : '';
}
