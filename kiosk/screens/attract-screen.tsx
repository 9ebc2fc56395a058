import { Button } from '../components/button.tsx';
import type { KioskEvent } from '../flows/kiosk.machine.ts';
import { useText } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';
import { useHall } from './hall-context.ts';
import { ServiceMenu } from './service-menu.tsx';

/**
 * 进厅: a greeting, then the services with the queue at each (过程透明): one touch takes a ticket.
 * Identification stands beside them for those who want priority; the other ways forward below.
 */
export function AttractScreen({ elderly, send }: { elderly: boolean; send: (event: KioskEvent) => void }) {
  const t = useText();
  const { hall } = useHall();
  return (
    <section class="screen attract">
      <h1 class="welcome">{t(s.welcome)}</h1>
      <p class="screen-lead">{t(s.welcomeSub)}</p>
      <ServiceMenu
        services={hall.services}
        customer={null}
        onChoose={(serviceId) => send({ type: 'TICKET.START', serviceId })}
        onIdentify={() => send({ type: 'IDENTIFY.START' })}
      />
      <nav class="attract-more" aria-label={t(s.moreWays)}>
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
      </nav>
    </section>
  );
}
