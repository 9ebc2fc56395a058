/** The phone booking page, served at `/book/`: fills the placeholders of the book machine and renders. */
import { render } from 'preact';
import { createActor, fromPromise } from 'xstate';
import type { HallInfo } from '../../server/contract/api.ts';
import { api } from '../../server/contract/client.ts';
import type { AppointmentAnswer, AppointmentSlots } from '../../server/contract/kiosk.ts';
import { bookMachine } from './book.machine.ts';
import { BookPage } from './book-page.tsx';
import '../components/base.css';
import './book.css';

const machine = bookMachine.provide({
  actors: {
    loadHall: fromPromise(() => api<HallInfo>('/hall')),
    loadSlots: fromPromise(({ input }) => {
      const query = new URLSearchParams({ serviceId: input.serviceId });
      if (input.day) query.set('day', input.day);
      return api<AppointmentSlots>(`/appointments/slots?${query}`);
    }),
    book: fromPromise(({ input }) => api<AppointmentAnswer>('/appointments', { body: input })),
  },
});

const lang = navigator.language.toLowerCase().startsWith('zh') ? 'zh' : 'en';
const actor = createActor(machine, { input: { lang } });
actor.start();
const root = document.getElementById('app');
if (root) render(<BookPage actor={actor} />, root);
