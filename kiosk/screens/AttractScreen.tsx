import { Button } from '../components/Button.tsx';
import type { KioskEvent } from '../flows/kiosk.machine.ts';
import { useText } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';
import { useHall, waitingText } from './hall-context.ts';

/** 进厅: greet first, then the ways forward, with the queue in plain view (过程透明). */
export function AttractScreen({ elderly, send }: { elderly: boolean; send: (event: KioskEvent) => void }) {
  const t = useText();
  const { services } = useHall();
  const open = services.filter((service) => service.open);
  return (
    <section class="screen attract">
      <h1 class="welcome">{t(s.welcome)}</h1>
      <p class="screen-lead">{t(s.welcomeSub)}</p>
      <div class="attract-actions">
        <Button
          variant="primary"
          class="big"
          sub={t(s.takeTicketSub)}
          onClick={() => send({ type: 'TICKET.START' })}
        >
          {t(s.takeTicket)}
        </Button>
        <Button sub={t(s.selfServiceSub)} onClick={() => send({ type: 'SELF_SERVICE.START' })}>
          {t(s.selfService)}
        </Button>
        <Button sub={t(s.checkInSub)} onClick={() => send({ type: 'APPOINTMENT.START' })}>
          {t(s.checkIn)}
        </Button>
        <Button sub={t(s.feedbackSub)} onClick={() => send({ type: 'FEEDBACK.START' })}>
          {t(s.feedback)}
        </Button>
        <Button
          class="elderly-toggle"
          pressed={elderly}
          sub={t(s.elderlyModeSub)}
          onClick={() => send({ type: 'ELDERLY.TOGGLE' })}
        >
          {t(s.elderlyMode)}
        </Button>
      </div>
      {open.length > 0 && (
        <section class="waiting-board" aria-labelledby="waiting-title">
          <h2 id="waiting-title">{t(s.waitingNow)}</h2>
          <ul>
            {open.map((service) => (
              <li key={service.id}>
                <span class="service-name">{service.name[t.lang]}</span>
                <span class="service-waiting">{waitingText(t, service)}</span>
              </li>
            ))}
          </ul>
        </section>
      )}
    </section>
  );
}
