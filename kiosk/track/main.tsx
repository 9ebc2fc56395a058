/** The phone tracking page, served at `/t/<id>`: fills the placeholders of the track machine and renders. */
import { render } from 'preact';
import { createActor, fromCallback, fromPromise } from 'xstate';
import { createWebAudioPlayer } from '../../display/common/audio/web-audio-player.ts';
import type { TicketView, TurnAlert } from '../../server/contract/api.ts';
import { api, openHallStream } from '../../server/contract/client.ts';
import { createPhoneAlerts } from './alerts.ts';
import { ticketIdFromPath } from './ticket-id.ts';
import { trackMachine } from './track.machine.ts';
import { callMessage, TrackPage } from './track-page.tsx';
import '../components/base.css';
import './track.css';

const ticketPath = (id: string) => `/tickets/${encodeURIComponent(id)}`;
const alertPath = (id: string) => `${ticketPath(id)}/turn-alert`;

const alerts = createPhoneAlerts({
  openAudio: () => {
    if (typeof AudioContext === 'undefined') return null;
    const context = new AudioContext();
    const player = createWebAudioPlayer({ context, baseUrl: '/voice/' });
    return { play: (clips) => player(clips), resume: () => context.resume() };
  },
  notifications:
    typeof Notification === 'undefined'
      ? null
      : {
          permission: () => Notification.permission,
          request: () => Notification.requestPermission(),
          show: (title, body) => void new Notification(title, { body, tag: 'hallq-call' }),
        },
  vibrate: typeof navigator.vibrate === 'function' ? (pattern) => navigator.vibrate(pattern) : null,
});

const machine = trackMachine.provide({
  actions: {
    alertCalled: ({ context }) => alerts.called(callMessage(context)),
  },
  actors: {
    fetchTicket: fromPromise(({ input }) => api<TicketView>(ticketPath(input.id))),
    cancelTicket: fromPromise(({ input }) =>
      api<TicketView>(`${ticketPath(input.id)}/cancel`, { method: 'POST' }),
    ),
    enableAlerts: fromPromise(() => alerts.enable()),
    fetchTurnAlert: fromPromise(({ input }) => api<TurnAlert>(alertPath(input.id))),
    requestTurnAlert: fromPromise(({ input }) =>
      api<TurnAlert>(alertPath(input.id), { method: 'POST', body: { phone: input.phone } }),
    ),
    cancelTurnAlert: fromPromise(({ input }) => api<TurnAlert>(alertPath(input.id), { method: 'DELETE' })),
    watchHall: fromCallback(({ sendBack, input }) =>
      openHallStream({
        onSnapshot: (snapshot) =>
          sendBack({
            type: 'HALL.SNAPSHOT',
            hallName: snapshot.hall.name,
            timeZone: snapshot.hall.timeZone,
            services: snapshot.services,
            counters: snapshot.counters,
          }),
        onEvent: (event) => {
          if (event.type === 'counter.updated')
            sendBack({ type: 'HALL.COUNTER', counter: event.data.counter });
          const mine = 'ticket' in event.data && event.data.ticket.number === input.number;
          sendBack({ type: 'HALL.CHANGED', mine });
        },
        onConnection: (state) => sendBack({ type: 'HALL.CONNECTION', state }),
      }),
    ),
  },
});

const lang = navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
const actor = createActor(machine, { input: { ticketId: ticketIdFromPath(location.pathname), lang } });
actor.start();
const root = document.getElementById('app');
if (root) render(<TrackPage actor={actor} />, root);
