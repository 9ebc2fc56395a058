import type { ActorRefFrom } from 'xstate';
import type { ServiceView, TicketView } from '../../server/contract/api.ts';
import { BackButton, Button } from '../components/Button.tsx';
import { DigitsStep } from '../components/DigitsStep.tsx';
import { Problem } from '../components/Problem.tsx';
import { QrCode } from '../components/QrCode.tsx';
import { Screen, Waiting } from '../components/Screen.tsx';
import { categoriesOf, type HallService, type ticketMachine } from '../flows/ticket.machine.ts';
import { useText } from '../i18n/index.ts';
import { categoryNames, s } from '../i18n/kiosk.ts';
import { useSnapshot } from '../use-actor.ts';
import { useHall, waitingText } from './hall-context.ts';
import { IdentifyScreen } from './IdentifyScreen.tsx';

type TicketFlowRef = ActorRefFrom<typeof ticketMachine>;

export function TicketFlowScreen({ actor }: { actor: TicketFlowRef }) {
  const t = useText();
  const hall = useHall();
  const snapshot = useSnapshot(actor);
  const { context } = snapshot;
  const send = actor.send;
  const back = <BackButton send={send} />;

  if (snapshot.matches('categories')) {
    return (
      <Screen title={t(s.chooseCategory)} footer={back}>
        <div class="choices">
          {categoriesOf(context.services).map((category) => {
            const names = context.services.filter((x) => x.category === category).map((x) => x.name[t.lang]);
            const label = categoryNames[category];
            return (
              <Button
                key={category}
                sub={label ? names.join(' · ') : undefined}
                onClick={() => send({ type: 'CATEGORY.CHOOSE', category })}
              >
                {label ? t(label) : names.join(' · ')}
              </Button>
            );
          })}
        </div>
      </Screen>
    );
  }

  if (snapshot.matches('services')) {
    // Elderly mode skips the categories: every service at once, in the hall's order.
    const shown = context.category
      ? context.services.filter((x) => x.category === context.category)
      : context.services;
    return (
      <Screen title={t(s.chooseService)} footer={back}>
        <div class="choices">
          {shown.map((service) => (
            <ServiceButton
              key={service.id}
              service={service}
              live={hall.live(service.id)}
              onChoose={() => send({ type: 'SERVICE.CHOOSE', serviceId: service.id })}
            />
          ))}
        </div>
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

  if (snapshot.matches('confirm')) {
    const serviceId = context.serviceId ?? '';
    const live = hall.live(serviceId);
    const tier = context.customer?.tier;
    return (
      <Screen
        title={t(s.confirmTitle)}
        footer={
          <>
            {back}
            <Button variant="primary" onClick={() => send({ type: 'CONFIRM' })}>
              {t(s.confirmTicket)}
            </Button>
          </>
        }
      >
        <div class="confirm-card">
          <p class="confirm-service">{t(hall.serviceName(serviceId))}</p>
          {live && <p>{waitingText(t, live)}</p>}
          {context.customer && <p>{t(s.customerLine, { name: context.customer.maskedName })}</p>}
          {tier === 'vip' && <p class="badge">{t(s.tierVip)}</p>}
          {tier === 'elderly' && <p class="badge">{t(s.tierElderly)}</p>}
        </div>
        {hall.printerTrouble() && <p class="notice">{t(s.printerDown)}</p>}
      </Screen>
    );
  }

  if (snapshot.matches('appointment')) {
    return <AppointmentEntry problem={context.problem} send={send} />;
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

function ServiceButton({
  service,
  live,
  onChoose,
}: {
  service: HallService;
  live: ServiceView | undefined;
  onChoose: () => void;
}) {
  const t = useText();
  return (
    <Button onClick={onChoose} disabled={live?.open === false} sub={live && waitingText(t, live)}>
      {service.name[t.lang]}
    </Button>
  );
}

function AppointmentEntry({ problem, send }: { problem: string | null; send: TicketFlowRef['send'] }) {
  const t = useText();
  return (
    <DigitsStep
      title={t(s.appointmentTitle)}
      lead={t(s.appointmentHint)}
      problem={problem}
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
  const ahead = Math.max(0, ticket.position - 1);
  const aheadText =
    ahead === 0 ? t(s.aheadNone) : ahead === 1 ? t(s.aheadOfYouOne) : t(s.aheadOfYou, { n: ahead });
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
        <p class="ticket-label">{t(s.yourNumber)}</p>
        <p class="ticket-number">{ticket.number}</p>
        <p class="ticket-service">{t(hall.serviceName(ticket.serviceId))}</p>
        <p class="ticket-ahead">{aheadText}</p>
        <p class="ticket-eta">
          {ticket.etaRange && ticket.etaRange.high > 0 && ticket.etaRange.high > ticket.etaRange.low
            ? t(s.etaRange, ticket.etaRange)
            : ticket.etaMinutes > 0
              ? t(s.etaWait, { n: ticket.etaMinutes })
              : t(s.etaSoon)}
        </p>
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
