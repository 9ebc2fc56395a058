import type { VoiceLang } from './announce/clips.ts';

/** How one screen is set up, from its URL (README.md lists the parameters). */
export type WallOptions = {
  /** Counter ids this screen covers; null = the whole hall. */
  zone: ReadonlySet<string> | null;
  /** Languages announced, in order; empty = silent screen. */
  voice: VoiceLang[];
  voiceMaxAgeMs: number;
};

const LANGS: readonly VoiceLang[] = ['zh', 'en'];

function list(value: string | null): string[] {
  return (value ?? '')
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

export function readWallOptions(search: string): WallOptions {
  const params = new URLSearchParams(search);
  const zone = list(params.get('zone'));
  const voiceParam = params.get('voice');
  const voice =
    voiceParam === null
      ? [...LANGS]
      : list(voiceParam).filter((l): l is VoiceLang => LANGS.includes(l as VoiceLang));
  const maxAgeSeconds = Number(params.get('voiceMaxAge'));
  return {
    zone: zone.length > 0 ? new Set(zone) : null,
    voice,
    voiceMaxAgeMs: Number.isFinite(maxAgeSeconds) && maxAgeSeconds > 0 ? maxAgeSeconds * 1000 : 60_000,
  };
}
