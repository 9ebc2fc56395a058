/**
 * Identification (身份识别): phone number + one-time code, an ID card on the reader, or a member QR on
 * the scanner. The card and the scanner are listened to for as long as the customer is on this step,
 * whatever they are doing. The outcome is a masked customer with a short-lived token — or nothing, when
 * the customer skips (allowed unless the caller requires identification) or goes back.
 */
import { assign, setup } from 'xstate';
import { MOBILE_PHONE } from '../../server/contract/api.ts';
import { ApiError } from '../../server/contract/client.ts';
import type {
  IdentifiedCustomer,
  IdentifyDeviceRequest,
  IdentifyPhoneAnswer,
  IdentifyPhoneRequest,
  IdentifyVerifyRequest,
} from '../../server/contract/kiosk.ts';
import { callbackPlaceholder, promisePlaceholder } from './placeholders.ts';
import { type ProblemCode, problemOf } from './retry.ts';

/** Refusals that mean the code asked for is gone: ask for a new one. */
const CODE_GONE = new Set<ProblemCode>(['code-expired', 'unknown-challenge']);

export type IdentifyInput = {
  required: boolean;
  /** Where to begin: the ways to choose from (default), or straight at the phone number. */
  start?: 'choosing' | 'phone';
  /** A card or member code already read at this kiosk (before this step began): redeem it at once. */
  readId?: string | null;
};

export type IdentifyOutput =
  | { outcome: 'identified'; customer: IdentifiedCustomer }
  | { outcome: 'skipped' }
  | { outcome: 'back' };

/** What the identification devices report; `watchIdentityDevices` sends these. */
export type IdentityDeviceEvent = { type: 'DEVICE.READ'; readId: string };

export type IdentifyEvent =
  | IdentityDeviceEvent
  | { type: 'PHONE.START' }
  | { type: 'PHONE.SUBMIT'; phone: string }
  | { type: 'CODE.SUBMIT'; code: string }
  | { type: 'CODE.RESEND' }
  | { type: 'SKIP' }
  | { type: 'BACK' };

export type IdentifyContext = {
  required: boolean;
  start: 'choosing' | 'phone';
  readId: string | null;
  phone: string | null;
  challengeId: string | null;
  resendAfterMs: number;
  customer: IdentifiedCustomer | null;
  /** Why the last step did not work, as an error code the screen explains (e.g. `wrong-code`). */
  problem: ProblemCode | null;
  /** After "too many codes": seconds before asking again may work (the screen counts them down). */
  retryAfterSeconds: number | null;
  result: IdentifyOutput | null;
};

export const identifyMachine = setup({
  types: {
    input: {} as IdentifyInput,
    context: {} as IdentifyContext,
    events: {} as IdentifyEvent,
    output: {} as IdentifyOutput,
  },
  actors: {
    requestCode: promisePlaceholder<IdentifyPhoneAnswer, IdentifyPhoneRequest>('requestCode'),
    verifyCode: promisePlaceholder<IdentifiedCustomer, IdentifyVerifyRequest>('verifyCode'),
    redeemDeviceRead: promisePlaceholder<IdentifiedCustomer, IdentifyDeviceRequest>('redeemDeviceRead'),
    watchIdentityDevices: callbackPlaceholder('watchIdentityDevices'),
  },
  guards: {
    optional: ({ context }) => !context.required,
    readWaiting: ({ context }) => context.readId !== null,
    phoneFirst: ({ context }) => context.start === 'phone',
    validPhone: (_, params: { phone: string }) => MOBILE_PHONE.test(params.phone),
    codeExpired: (_, params: { error: unknown }) => CODE_GONE.has(problemOf(params.error)),
  },
  delays: {
    resendCooldown: ({ context }) => context.resendAfterMs,
  },
  actions: {
    clearProblem: assign({ problem: null, retryAfterSeconds: null }),
    storeProblem: assign((_, params: { error: unknown }) => ({
      problem: problemOf(params.error),
      retryAfterSeconds: params.error instanceof ApiError ? params.error.retryAfterSeconds : null,
    })),
    flagInvalidPhone: assign({ problem: 'invalid-phone' }),
    storePhone: assign((_, params: { phone: string }) => ({
      phone: params.phone,
      problem: null,
      retryAfterSeconds: null,
    })),
    storeChallenge: assign((_, params: { answer: IdentifyPhoneAnswer }) => ({
      challengeId: params.answer.challengeId,
      resendAfterMs: params.answer.resendAfterSeconds * 1_000,
    })),
    identified: assign((_, params: { customer: IdentifiedCustomer }) => ({
      customer: params.customer,
      result: { outcome: 'identified' as const, customer: params.customer },
    })),
    skipped: assign({ result: { outcome: 'skipped' } }),
    wentBack: assign({ result: { outcome: 'back' } }),
    storeRead: assign((_, params: { readId: string }) => ({ readId: params.readId })),
  },
}).createMachine({
  id: 'identify',
  context: ({ input }) => ({
    required: input.required,
    start: input.start ?? 'choosing',
    readId: input.readId ?? null,
    phone: null,
    challengeId: null,
    resendAfterMs: 60_000,
    customer: null,
    problem: null,
    retryAfterSeconds: null,
    result: null,
  }),
  // The card reader and the scanner stay live on every step, so a customer may change their mind.
  invoke: { src: 'watchIdentityDevices' },
  on: {
    'DEVICE.READ': {
      target: '.redeeming',
      actions: { type: 'storeRead', params: ({ event }) => ({ readId: event.readId }) },
    },
  },
  initial: 'beginning',
  states: {
    beginning: {
      always: [
        { guard: 'readWaiting', target: 'redeeming' },
        { guard: 'phoneFirst', target: 'phone' },
        { target: 'choosing' },
      ],
    },
    choosing: {
      on: {
        'PHONE.START': { target: 'phone', actions: 'clearProblem' },
        SKIP: { guard: 'optional', target: 'done', actions: 'skipped' },
        BACK: { target: 'done', actions: 'wentBack' },
      },
    },
    phone: {
      initial: 'entering',
      states: {
        entering: {
          on: {
            'PHONE.SUBMIT': [
              {
                guard: { type: 'validPhone', params: ({ event }) => ({ phone: event.phone }) },
                target: 'requesting',
                actions: { type: 'storePhone', params: ({ event }) => ({ phone: event.phone }) },
              },
              { actions: 'flagInvalidPhone' },
            ],
            // Begun at the phone number (the kiosk's first screen offered it): back is out of this step.
            BACK: [
              { guard: 'phoneFirst', target: '#identify.done', actions: 'wentBack' },
              { target: '#identify.choosing', actions: 'clearProblem' },
            ],
          },
        },
        requesting: {
          invoke: {
            src: 'requestCode',
            input: ({ context }) => ({ phone: context.phone ?? '' }),
            onDone: {
              target: 'code',
              actions: { type: 'storeChallenge', params: ({ event }) => ({ answer: event.output }) },
            },
            onError: {
              target: 'entering',
              actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
            },
          },
        },
        code: {
          initial: 'cooling',
          states: {
            // SMS can be slow: offer a new code only after the server's cool-down.
            cooling: { after: { resendCooldown: 'resendable' } },
            resendable: {
              on: { 'CODE.RESEND': { target: '#identify.phone.requesting', actions: 'clearProblem' } },
            },
          },
          on: {
            'CODE.SUBMIT': { target: 'verifying', actions: 'clearProblem' },
            BACK: { target: 'entering', actions: 'clearProblem' },
          },
        },
        verifying: {
          invoke: {
            src: 'verifyCode',
            input: ({ context, event }) => ({
              challengeId: context.challengeId ?? '',
              code: event.type === 'CODE.SUBMIT' ? event.code : '',
            }),
            onDone: {
              target: '#identify.done',
              actions: { type: 'identified', params: ({ event }) => ({ customer: event.output }) },
            },
            onError: [
              {
                guard: { type: 'codeExpired', params: ({ event }) => ({ error: event.error }) },
                target: 'entering',
                actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
              },
              {
                target: 'code',
                actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
              },
            ],
          },
        },
      },
    },
    redeeming: {
      invoke: {
        src: 'redeemDeviceRead',
        input: ({ context }) => ({ readId: context.readId ?? '' }),
        onDone: {
          target: 'done',
          actions: { type: 'identified', params: ({ event }) => ({ customer: event.output }) },
        },
        onError: {
          target: 'choosing',
          actions: { type: 'storeProblem', params: ({ event }) => ({ error: event.error }) },
        },
      },
    },
    done: { type: 'final' },
  },
  output: ({ context }) => context.result ?? { outcome: 'back' },
});
