/**
 * Booking an appointment from the phone (`/book/`): service → day and free slot → phone number → the
 * 6-digit code (also sent by SMS), which the customer types or scans at the kiosk to check in.
 * Side effects are placeholders filled in main.tsx: the hall's services, the day's free slots
 * (`GET /appointments/slots`) and the booking (`POST /appointments`).
 */
import { assign, setup } from 'xstate';
import type { HallInfo, Lang } from '../../server/contract/api.ts';
import type {
  AppointmentAnswer,
  AppointmentSlots,
  AppointmentSlotsQuery,
  BookAppointmentRequest,
} from '../../server/contract/kiosk.ts';
import { promisePlaceholder } from '../flows/placeholders.ts';
import { type ProblemCode, problemOf } from '../flows/retry.ts';

export type BookContext = {
  lang: Lang;
  hall: HallInfo | null;
  serviceId: string | null;
  day: string | null;
  slots: AppointmentSlots | null;
  slot: string | null;
  phone: string;
  answer: AppointmentAnswer | null;
  /** The last refusal's code (`slot-full`, `too-many-appointments`, `unreachable` …), shown until the next step. */
  problem: ProblemCode | null;
};

export type BookEvent =
  | { type: 'LANG.SET'; lang: Lang }
  | { type: 'SERVICE.CHOOSE'; serviceId: string }
  | { type: 'DAY.CHOOSE'; day: string }
  | { type: 'SLOT.CHOOSE'; slot: string }
  | { type: 'PHONE.SUBMIT'; phone: string }
  | { type: 'RETRY' }
  | { type: 'BACK' }
  | { type: 'AGAIN' };

/** Refusals that mean "this slot is gone": back to the slots, freshly loaded. */
const SLOT_GONE = new Set<ProblemCode>(['slot-full', 'slot-unavailable']);

export const bookMachine = setup({
  types: {
    input: {} as { lang: Lang },
    context: {} as BookContext,
    events: {} as BookEvent,
  },
  actors: {
    loadHall: promisePlaceholder<HallInfo, void>('loadHall'),
    loadSlots: promisePlaceholder<AppointmentSlots, AppointmentSlotsQuery>('loadSlots'),
    book: promisePlaceholder<AppointmentAnswer, BookAppointmentRequest>('book'),
  },
  guards: {
    slotGone: (_, params: { error: unknown }) => SLOT_GONE.has(problemOf(params.error)),
  },
  actions: {
    setLang: assign((_, params: { lang: Lang }) => ({ lang: params.lang })),
    storeHall: assign((_, params: { hall: HallInfo }) => ({ hall: params.hall })),
    chooseService: assign((_, params: { serviceId: string }) => ({
      serviceId: params.serviceId,
      day: null,
      slots: null,
      slot: null,
      problem: null,
    })),
    chooseDay: assign((_, params: { day: string }) => ({ day: params.day, slot: null, problem: null })),
    storeSlots: assign((_, params: { slots: AppointmentSlots }) => ({
      slots: params.slots,
      day: params.slots.day,
    })),
    chooseSlot: assign((_, params: { slot: string }) => ({ slot: params.slot, problem: null })),
    storePhone: assign((_, params: { phone: string }) => ({ phone: params.phone, problem: null })),
    storeAnswer: assign((_, params: { answer: AppointmentAnswer }) => ({ answer: params.answer })),
    storeProblem: assign((_, params: { error: unknown }) => ({ problem: problemOf(params.error) })),
    clearProblem: assign({ problem: null }),
    startOver: assign({ serviceId: null, day: null, slots: null, slot: null, answer: null, problem: null }),
  },
}).createMachine({
  id: 'book',
  context: ({ input }) => ({
    lang: input.lang,
    hall: null,
    serviceId: null,
    day: null,
    slots: null,
    slot: null,
    phone: '',
    answer: null,
    problem: null,
  }),
  on: { 'LANG.SET': { actions: { type: 'setLang', params: ({ event }) => event } } },
  initial: 'loading',
  states: {
    loading: {
      invoke: {
        src: 'loadHall',
        onDone: {
          target: 'service',
          actions: { type: 'storeHall', params: ({ event }) => ({ hall: event.output }) },
        },
        onError: {
          target: 'failed',
          actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    failed: { on: { RETRY: { target: 'loading', actions: 'clearProblem' } } },
    service: {
      on: {
        'SERVICE.CHOOSE': {
          target: 'slots',
          actions: { type: 'chooseService', params: ({ event }) => event },
        },
      },
    },
    slots: {
      initial: 'loading',
      states: {
        loading: {
          invoke: {
            src: 'loadSlots',
            input: ({ context }) => ({ serviceId: context.serviceId ?? '', day: context.day ?? undefined }),
            onDone: {
              target: 'choosing',
              actions: { type: 'storeSlots', params: ({ event }) => ({ slots: event.output }) },
            },
            onError: {
              target: 'failed',
              actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
            },
          },
        },
        failed: { on: { RETRY: { target: 'loading', actions: 'clearProblem' } } },
        choosing: {
          on: {
            'SLOT.CHOOSE': {
              target: '#book.phone',
              actions: { type: 'chooseSlot', params: ({ event }) => event },
            },
          },
        },
      },
      on: {
        'DAY.CHOOSE': {
          target: '.loading',
          actions: { type: 'chooseDay', params: ({ event }) => event },
        },
        BACK: { target: 'service', actions: 'clearProblem' },
      },
    },
    phone: {
      on: {
        'PHONE.SUBMIT': {
          target: 'booking',
          actions: { type: 'storePhone', params: ({ event }) => event },
        },
        BACK: { target: 'slots.choosing', actions: 'clearProblem' },
      },
    },
    booking: {
      invoke: {
        src: 'book',
        input: ({ context }) => ({
          serviceId: context.serviceId ?? '',
          slot: context.slot ?? '',
          phone: context.phone,
          lang: context.lang,
        }),
        onDone: {
          target: 'booked',
          actions: { type: 'storeAnswer', params: ({ event }) => ({ answer: event.output }) },
        },
        onError: [
          {
            guard: { type: 'slotGone', params: ({ event }) => ({ error: event.error }) },
            target: 'slots.loading',
            actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
          },
          {
            target: 'phone',
            actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
          },
        ],
      },
    },
    booked: { on: { AGAIN: { target: 'service', actions: 'startOver' } } },
  },
});
