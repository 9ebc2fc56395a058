import type { HallEvent } from '../../../server/contract/events.ts';
import type { AudioQueue } from '../../common/audio/audio-queue.ts';
import { callClips, type VoiceLang } from './clips.ts';
import type { ServerClock } from './server-clock.ts';

/**
 * Turns the hall's events into announcements. Only events announce: a snapshot's recent calls are history
 * (a page that just loaded must not read out the last ten calls), while the calls missed during an outage
 * come back as replayed events and are announced if still fresh — the audio queue judges that.
 */
export function createAnnouncer(options: {
  queue: AudioQueue;
  clock: ServerClock;
  langs: readonly VoiceLang[];
  inZone: (counterId: string) => boolean;
}) {
  return (event: HallEvent) => {
    options.clock.observeIso(event.at);
    if (event.type !== 'ticket.called' && event.type !== 'ticket.recalled') return;
    const { call } = event.data;
    if (!options.inZone(call.counterId)) return;
    options.queue.enqueue({
      id: `${call.number}→${call.counterId}${call.recall ? ' (recall)' : ''} #${event.id}`,
      clips: callClips(call, options.langs),
      at: options.clock.toLocal(call.at),
    });
  };
}
