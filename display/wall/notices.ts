import { API_BASE, type Text } from '../../server/contract/api.ts';

/** A notice the manager set for the wall. */
export type Notice = { id: string; text: Text; imageUrl?: string };

function isNotice(value: unknown): value is Notice {
  if (typeof value !== 'object' || value === null) return false;
  const n = value as Record<string, unknown>;
  const text = n.text as Record<string, unknown> | undefined;
  return (
    typeof n.id === 'string' &&
    typeof text === 'object' &&
    text !== null &&
    typeof text.zh === 'string' &&
    typeof text.en === 'string' &&
    (n.imageUrl === undefined || typeof n.imageUrl === 'string')
  );
}

/**
 * The notices, or null when the server has none to offer (the endpoint is optional: anything but a 200
 * with a list hides the notices area). Every answer's `Date` header goes to `onServerDate`, which keeps
 * the screen's idea of the server clock fresh even in a quiet hall.
 */
export async function fetchNotices(
  doFetch: (url: string, init?: RequestInit) => Promise<Response>,
  onServerDate: (header: string | null) => void,
): Promise<Notice[] | null> {
  try {
    const res = await doFetch(`${API_BASE}/notices`, { headers: { accept: 'application/json' } });
    onServerDate(res.headers.get('date'));
    if (res.status !== 200) return null;
    const body: unknown = await res.json();
    return Array.isArray(body) ? body.filter(isNotice) : null;
  } catch {
    return null;
  }
}
