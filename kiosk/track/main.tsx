/** The phone tracking page, served at `/t/<id>`: fills the placeholders of the track machine and renders. */
import { render } from 'preact';
import { createActor, fromCallback, fromPromise } from 'xstate';
import type { TicketView } from '../../server/contract/api.ts';
import { api, openHallStream } from '../../server/contract/client.ts';
import { TrackPage } from './TrackPage.tsx';
import { ticketIdFromPath } from './ticket-id.ts';
import { trackMachine } from './track.machine.ts';
import '../components/base.css';
import './track.css';

const ticketPath = (id: string) => `/tickets/${encodeURIComponent(id)}`;

const machine = trackMachine.provide({
  actions: {
    alertCalled: () => {
      navigator.vibrate?.([400, 200, 400]);
    },
  },
  actors: {
    fetchTicket: fromPromise(({ input }) => api<TicketView>(ticketPath(input.id))),
    cancelTicket: fromPromise(({ input }) =>
      api<TicketView>(`${ticketPath(input.id)}/cancel`, { method: 'POST' }),
    ),
    watchHall: fromCallback(({ sendBack, input }) =>
      openHallStream({
        onSnapshot: (snapshot) =>
          sendBack({
            type: 'HALL.SNAPSHOT',
            hallName: snapshot.hall.name,
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
