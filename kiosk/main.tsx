/**
 * The kiosk page: reads its settings from the URL, fills every placeholder of the flows with the real
 * side effects (server calls, the live hall stream, touches), and renders.
 * URL: `/kiosk/?kiosk=k1` (which kiosk this is: its printer and devices), `&idle=30` (seconds, to try
 * the idle reset quickly).
 */
import { render } from 'preact';
import { createActor, type EventObject, fromCallback, fromPromise } from 'xstate';
import { createWebAudioPlayer, whenRunning } from '../display/common/audio/web-audio-player.ts';
import { PairingGate } from '../display/common/pairing-gate.tsx';
import { openHallStream } from '../server/contract/client.ts';
import { feedbackMachine } from './flows/feedback.machine.ts';
import { identifyMachine } from './flows/identify.machine.ts';
import { type HallFeedEvent, kioskMachine } from './flows/kiosk.machine.ts';
import { selfServiceMachine } from './flows/self-service.machine.ts';
import { ticketMachine } from './flows/ticket.machine.ts';
import { createHallFeed } from './hall-feed.ts';
import { KioskApp } from './screens/kiosk-app.tsx';
import { kioskApi } from './server-api.ts';
import { createKioskVoice } from './voice/kiosk-voice.ts';
import './components/base.css';
import './kiosk.css';

const params = new URLSearchParams(location.search);
const kioskId = params.get('kiosk') || 'k1';
const idleSeconds = Number(params.get('idle'));

// The pairing token is given once in the URL, then kept by the browser and taken out of the address.
const deviceToken = params.get('token') ?? localStorage.getItem('hallq-kiosk-token');
if (params.has('token')) {
  localStorage.setItem('hallq-kiosk-token', deviceToken!);
  params.delete('token');
  history.replaceState(null, '', `${location.pathname}?${params}`);
}
const server = kioskApi(kioskId, undefined, deviceToken);

/** Where the server serves the voice pack (display/wall/voice/README.md); prompts are under prompts/. */
const VOICE_URL = '/voice/';

// Elderly-mode prompts. The audio context is made at the first prompt, which follows a tap, so the
// browser lets it play even without the kiosk's autoplay flag.
const voice = createKioskVoice({
  now: Date.now,
  openAudio: () => {
    if (typeof AudioContext === 'undefined') return null;
    const context = new AudioContext();
    return {
      play: createWebAudioPlayer({ context, baseUrl: VOICE_URL }),
      ready: () => {
        if (context.state === 'suspended') context.resume().catch(() => {});
        return whenRunning(context);
      },
    };
  },
});
const speak = (_: unknown, prompt: Parameters<typeof voice.say>[0]) => voice.say(prompt);
const feed = createHallFeed((handlers) => openHallStream(handlers, { query: { kioskId } }), kioskId);

// An ID card, or a member code on the scanner, identifies whoever stands at this kiosk: on the first
// screen, the service list and the identification step alike.
const watchIdentityDevices = fromCallback<EventObject, void>(({ sendBack }) =>
  feed.subscribe({
    onKioskEvent: (event) => {
      if (event.type === 'kiosk.id-card' || event.data.kind === 'member')
        sendBack({ type: 'DEVICE.READ', readId: event.data.readId });
    },
  }),
);

const identify = identifyMachine.provide({
  actors: {
    requestCode: fromPromise(({ input }) => server.requestCode(input)),
    verifyCode: fromPromise(({ input }) => server.verifyCode(input)),
    redeemDeviceRead: fromPromise(({ input }) => server.redeemDeviceRead(input)),
    watchIdentityDevices,
  },
});

const ticketFlow = ticketMachine.provide({
  actions: { speak },
  actors: {
    identify,
    issueTicket: fromPromise(({ input }) => server.issueTicket(input)),
    fetchTicket: fromPromise(({ input }) => server.fetchTicket(input)),
    watchIdentityDevices,
    watchAppointmentScans: fromCallback(({ sendBack }) =>
      feed.subscribe({
        onKioskEvent: (event) => {
          if (event.type === 'kiosk.scan' && event.data.kind === 'appointment')
            sendBack({ type: 'APPOINTMENT.SCANNED', readId: event.data.readId });
        },
      }),
    ),
  },
});

const feedbackFlow = feedbackMachine.provide({
  actors: { sendFeedback: fromPromise(({ input }) => server.sendFeedback(input)) },
});

const selfServiceFlow = selfServiceMachine.provide({
  actors: {
    identify,
    loadAccount: fromPromise(({ input }) => server.loadAccount(input)),
    loadPacks: fromPromise(({ input }) => server.loadPacks(input)),
    createOrder: fromPromise(({ input }) => server.createOrder(input)),
    fetchOrder: fromPromise(({ input }) => server.fetchOrder(input)),
    cancelOrder: fromPromise(({ input }) => server.cancelOrder(input)),
    printInvoice: fromPromise(({ input }) => server.printInvoice(input)),
  },
});

const kiosk = kioskMachine.provide({
  actions: { speak, hush: () => voice.hush() },
  actors: {
    loadKiosk: fromPromise(() => server.loadKiosk()),
    watchIdentityDevices,
    watchHall: fromCallback(({ sendBack }) => {
      const send = (event: HallFeedEvent) => sendBack(event);
      return feed.subscribe({
        onSnapshot: (snapshot) => send({ type: 'HALL.SERVICES', services: snapshot.services }),
        onEvent: (event) => {
          if (event.type === 'device.status')
            send({ type: 'HALL.DEVICE', id: event.data.id, status: event.data.status });
          else if ('services' in event.data) send({ type: 'HALL.SERVICES', services: event.data.services });
          // New or renamed services: the menu is read again (a failed read keeps the old menu).
          if (event.type === 'hall.configured')
            server.loadKiosk().then(
              ({ hall }) => send({ type: 'HALL.INFO', hall }),
              () => {},
            );
        },
        onConnection: (state) => send({ type: 'HALL.CONNECTION', state }),
      });
    }),
    // Any touch or key anywhere counts as presence; capture so no screen can swallow it.
    watchActivity: fromCallback(({ sendBack }) => {
      const active = () => sendBack({ type: 'ACTIVITY' });
      const options = { capture: true, passive: true };
      document.addEventListener('pointerdown', active, options);
      document.addEventListener('keydown', active, options);
      return () => {
        document.removeEventListener('pointerdown', active, options);
        document.removeEventListener('keydown', active, options);
      };
    }),
    ticketFlow,
    feedbackFlow,
    selfServiceFlow,
  },
});

const actor = createActor(kiosk, {
  input: { kioskId, idleMs: idleSeconds > 0 ? idleSeconds * 1_000 : undefined },
});
actor.start();
const root = document.getElementById('app');
/** Paired: start again as the kiosk the manager named (the token also says so to the server). */
const pairedAs = ({ deviceId }: { deviceId: string }) => {
  params.set('kiosk', deviceId);
  location.search = `?${params}`;
};
if (root)
  render(
    <PairingGate kind="kiosk" storageKey="hallq-kiosk-token" onPaired={pairedAs}>
      <KioskApp actor={actor} origin={location.origin} />
    </PairingGate>,
    root,
  );
