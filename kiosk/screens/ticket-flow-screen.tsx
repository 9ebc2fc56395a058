import type { ActorRefFrom } from 'xstate';
import { useActorSnapshot } from '../../display/common/use-actor.ts';
import type { TicketView } from '../../server/contract/api.ts';
import { waitWording } from '../../server/contract/wait-wording.ts';
import { BackButton, Button } from '../components/button.tsx';
import { DigitsStep } from '../components/digits-step.tsx';
import { Problem } from '../components/problem.tsx';
import { QrCode } from '../components/qr-code.tsx';
import { Screen, Waiting } from '../components/screen.tsx';
import type { ProblemCode } from '../flows/retry.ts';
import type { ticketMachine } from '../flows/ticket.machine.ts';
import { useText } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';
import { useHall } from './hall-context.ts';
import { IdentifyScreen } from './identify-screen.tsx';
import { ServiceMenu } from './service-menu.tsx';

type TicketFlowRef = ActorRefFrom<typeof ticketMachine>;

export function TicketFlowScreen({ actor }: { actor: TicketFlowRef }) {
  const t = useText();
  const snapshot = useActorSnapshot(actor);
  const { context } = snapshot;
  const send = actor.send;
  const back = <BackButton send={send} />;

  if (snapshot.matches('services')) {
    return (
      <Screen
        title={t(context.customer ? s.greeting : s.chooseService, {
          name: context.customer?.maskedName ?? '',
        })}
        footer={back}
      >
        <ServiceMenu
          services={context.services}
          customer={context.customer}
          onChoose={(serviceId) => send({ type: 'SERVICE.CHOOSE', serviceId })}
          onIdentify={() => send({ type: 'IDENTIFY.PHONE' })}
        />
      </Screen>
    );
  }

  if (snapshot.matches('selfServiceOffer')) {
    return (
      <Screen title={t(s.selfServiceOffer)} lead={t(s.selfServiceOfferSub)} footer={back}>
        <div class="choices two">
          <Button variant="primary" onClick={() => send({ type: 'SELF_SERVICE.START' })}>
            {t(s.doItMyself)}
          </Button>
          <Button onClick={() => send({ type: 'TICKET.CONTINUE' })}>{t(s.stillWantTicket)}</Button>
        </div>
      </Screen>
    );
  }

  const identify = snapshot.children.identify;
  if (snapshot.matches('identifying') && identify) {
    return <IdentifyScreen actor={identify} />;
  }

  if (snapshot.matches('elderlyOffer')) {
    return (
      <Screen title={t(s.elderlyOffer)} lead={t(s.elderlyOfferSub)}>
        <div class="choices two">
          <Button variant="primary" onClick={() => send({ type: 'ELDERLY.ACCEPT' })}>
            {t(s.yes)}
          </Button>
          <Button onClick={() => send({ type: 'ELDERLY.DECLINE' })}>{t(s.no)}</Button>
        </div>
      </Screen>
    );
  }

  if (snapshot.matches('appointment')) {
    return <AppointmentEntry problem={context.problem} details={context.problemDetails} send={send} />;
  }

  if (snapshot.matches({ issuing: 'reconnecting' })) {
    return (
      <Waiting title={t(s.reconnecting)} lead={t(s.reconnectingDetail)}>
        <Button variant="quiet" onClick={() => send({ type: 'BACK' })}>
          {t(s.cancel)}
        </Button>
        <Button variant="primary" onClick={() => send({ type: 'RETRY_NOW' })}>
          {t(s.tryNow)}
        </Button>
      </Waiting>
    );
  }

  if (snapshot.matches('issuing')) return <Waiting title={t(s.issuing)} />;

  if ((snapshot.matches('printing') || snapshot.matches('done')) && context.ticket) {
    return (
      <TicketResult
        ticket={context.ticket}
        printing={snapshot.matches('printing')}
        onDone={() => send({ type: 'FINISH' })}
      />
    );
  }

  if (snapshot.matches('refused')) {
    return (
      <Screen
        title={t(s.refusedTitle)}
        footer={
          <>
            <Button variant="quiet" onClick={() => send({ type: 'FINISH' })}>
              {t(s.home)}
            </Button>
            <Button variant="primary" onClick={() => send({ type: 'BACK' })}>
              {t(s.chooseOther)}
            </Button>
          </>
        }
      >
        <Problem code={context.problem} />
      </Screen>
    );
  }

  return <Waiting title={t(s.connecting)} />;
}

function AppointmentEntry({
  problem,
  details,
  send,
}: {
  problem: ProblemCode | null;
  details: Record<string, string>;
  send: TicketFlowRef['send'];
}) {
  const t = useText();
  return (
    <DigitsStep
      title={t(s.appointmentTitle)}
      lead={t(s.appointmentHint)}
      problem={problem}
      problemDetails={details}
      minLength={4}
      maxLength={12}
      submitLabel={t(s.checkInNow)}
      onSubmit={(code) => send({ type: 'CODE.SUBMIT', code })}
      footer={
        <>
          <BackButton send={send} />
          <Button onClick={() => send({ type: 'WALK_IN' })}>{t(s.walkInInstead)}</Button>
        </>
      }
    />
  );
}

/** The number, large; the way to follow it on a phone; and whether the paper came out. */
export function TicketResult({
  ticket,
  printing,
  onDone,
}: {
  ticket: TicketView;
  printing: boolean;
  onDone: () => void;
}) {
  const t = useText();
  const hall = useHall();
  const wait = waitWording(ticket, { now: Date.now(), timeZone: hall.hall.timeZone });
  const printNote = printing
    ? t(s.printing)
    : ticket.print === 'printed'
      ? t(s.takePaper)
      : ticket.print === 'failed'
        ? t(s.printFailed)
        : ticket.print === 'pending'
          ? t(s.printUnknown)
          : null;
  const paperMissing = !printing && (ticket.print === 'failed' || ticket.print === 'pending');
  return (
    <section class="screen ticket-result">
      <div class="ticket-card">
        <h1 class="ticket-label">{t(s.yourNumber)}</h1>
        <p class="ticket-number">{ticket.number}</p>
        <p class="ticket-service">{t(hall.serviceName(ticket.serviceId))}</p>
        {ticket.status === 'waiting' && (
          <>
            <p class="ticket-ahead">{t(wait.place)}</p>
            {wait.estimate && <p class="ticket-eta">{t(wait.estimate)}</p>}
            {wait.basis && (
              <p class={wait.servedNow ? 'ticket-basis' : 'ticket-basis notice'}>{t(wait.basis)}</p>
            )}
          </>
        )}
        <p class="ticket-watch">{t(s.watchDisplay)}</p>
      </div>
      {printNote && (
        <p class={paperMissing ? 'notice' : 'print-note'} role={paperMissing ? 'alert' : undefined}>
          {printNote}
        </p>
      )}
      <figure class={`track-qr${paperMissing ? ' emphasised' : ''}`}>
        <QrCode
          value={hall.absoluteUrl(ticket.trackUrl)}
          label={t(s.scanToTrack)}
          size={paperMissing ? 360 : 260}
        />
        <figcaption>{t(s.scanToTrack)}</figcaption>
      </figure>
      <div class="screen-footer">
        <Button variant="primary" onClick={onDone}>
          {t(s.done)}
        </Button>
      </div>
    </section>
  );
}
