/**
 * Feedback and complaints (客户争议): what kind, which topics (taps, no typing on a kiosk), send, thank.
 * After a complaint the customer may take a ticket for the complaints desk, so a dispute reaches the
 * manager's counter rather than a generic one.
 */
import { assign, setup } from 'xstate';
import type { Lang } from '../../server/contract/api.ts';
import type {
  FeedbackAnswer,
  FeedbackKind,
  FeedbackRequest,
  FeedbackTopic,
} from '../../server/contract/kiosk.ts';
import type { FlowOutput } from './flow-output.ts';
import { promisePlaceholder } from './placeholders.ts';
import { type ProblemCode, problemOf } from './retry.ts';

export type FeedbackInput = { lang: Lang; complaintsServiceId: string | null };

export type FeedbackEvent =
  | { type: 'KIND.CHOOSE'; kind: FeedbackKind }
  | { type: 'TOPIC.TOGGLE'; topic: FeedbackTopic }
  | { type: 'SUBMIT' }
  | { type: 'TICKET.TAKE' }
  | { type: 'BACK' }
  | { type: 'FINISH' }
  | { type: 'SETTINGS'; lang: Lang; elderly: boolean };

export type FeedbackContext = {
  lang: Lang;
  complaintsServiceId: string | null;
  kind: FeedbackKind | null;
  topics: FeedbackTopic[];
  reference: string | null;
  problem: ProblemCode | null;
  result: FlowOutput;
};

export const feedbackMachine = setup({
  types: {
    input: {} as FeedbackInput,
    context: {} as FeedbackContext,
    events: {} as FeedbackEvent,
    output: {} as FlowOutput,
  },
  actors: {
    sendFeedback: promisePlaceholder<FeedbackAnswer, FeedbackRequest>('sendFeedback'),
  },
  guards: {
    hasTopics: ({ context }) => context.topics.length > 0,
    canTakeTicket: ({ context }) => context.kind === 'complaint' && context.complaintsServiceId !== null,
  },
  actions: {
    setLang: assign((_, params: { lang: Lang }) => ({ lang: params.lang })),
    chooseKind: assign((_, params: { kind: FeedbackKind }) => ({ kind: params.kind, topics: [] })),
    toggleTopic: assign(({ context }, params: { topic: FeedbackTopic }) => ({
      topics: context.topics.includes(params.topic)
        ? context.topics.filter((t) => t !== params.topic)
        : [...context.topics, params.topic],
    })),
    storeReference: assign((_, params: { answer: FeedbackAnswer }) => ({
      reference: params.answer.reference,
      problem: null,
    })),
    storeProblem: assign((_, params: { error: unknown }) => ({ problem: problemOf(params.error) })),
    handOverToComplaintsDesk: assign(({ context }) => ({
      result: { next: 'ticket' as const, serviceId: context.complaintsServiceId ?? '', customer: null },
    })),
  },
}).createMachine({
  id: 'feedback',
  context: ({ input }) => ({
    lang: input.lang,
    complaintsServiceId: input.complaintsServiceId,
    kind: null,
    topics: [],
    reference: null,
    problem: null,
    result: { next: 'attract' },
  }),
  on: {
    SETTINGS: { actions: { type: 'setLang', params: ({ event }) => event } },
  },
  initial: 'kind',
  states: {
    kind: {
      on: {
        'KIND.CHOOSE': { target: 'topics', actions: { type: 'chooseKind', params: ({ event }) => event } },
        BACK: 'finished',
      },
    },
    topics: {
      on: {
        'TOPIC.TOGGLE': { actions: { type: 'toggleTopic', params: ({ event }) => event } },
        SUBMIT: { guard: 'hasTopics', target: 'sending' },
        BACK: 'kind',
      },
    },
    sending: {
      invoke: {
        src: 'sendFeedback',
        input: ({ context }) => ({
          kind: context.kind ?? 'suggestion',
          topics: context.topics,
          lang: context.lang,
        }),
        onDone: {
          target: 'thanks',
          actions: { type: 'storeReference', params: ({ event }) => ({ answer: event.output }) },
        },
        // Nothing is lost by trying again: the topics stay chosen and the screen says what went wrong.
        onError: {
          target: 'topics',
          actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    thanks: {
      on: {
        'TICKET.TAKE': { guard: 'canTakeTicket', target: 'finished', actions: 'handOverToComplaintsDesk' },
        FINISH: 'finished',
      },
    },
    finished: { type: 'final' },
  },
  output: ({ context }) => context.result,
});
