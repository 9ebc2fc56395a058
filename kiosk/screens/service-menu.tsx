import type { IdentifiedCustomer } from '../../server/contract/kiosk.ts';
import { Button } from '../components/button.tsx';
import { categoriesOf, type HallService } from '../flows/ticket.machine.ts';
import { useText } from '../i18n/index.ts';
import { categoryNames, s } from '../i18n/kiosk.ts';
import { serviceWaitText, useHall } from './hall-context.ts';

/**
 * The services, grouped by category, each one touch from its ticket; identification beside them (a
 * phone number, or a card or member code on the devices, which work at any moment on this screen). An
 * identified customer is greeted there instead.
 */
export function ServiceMenu({
  services,
  customer,
  onChoose,
  onIdentify,
}: {
  services: HallService[];
  customer: IdentifiedCustomer | null;
  onChoose: (serviceId: string) => void;
  onIdentify: () => void;
}) {
  const t = useText();
  const hall = useHall();
  return (
    <div class="service-menu">
      {hall.printerTrouble() && <p class="notice printer-down">{t(s.printerDown)}</p>}
      <div class="service-groups">
        {categoriesOf(services).map(({ category, services: group }) => {
          const label = categoryNames[category];
          return (
            <section class="service-group" key={category} aria-label={label ? t(label) : undefined}>
              {label && <h2>{t(label)}</h2>}
              <div class="tiles">
                {group.map((service) => {
                  const live = hall.live(service.id);
                  return (
                    <Button
                      key={service.id}
                      class="tile"
                      onClick={() => onChoose(service.id)}
                      disabled={live?.open === false}
                      sub={live && serviceWaitText(t.lang, live, hall.hall.timeZone)}
                    >
                      {service.name[t.lang]}
                    </Button>
                  );
                })}
              </div>
            </section>
          );
        })}
      </div>
      <aside class="identify-panel" aria-labelledby="identify-title">
        {customer ? (
          <>
            <h2 id="identify-title">{t(s.greeting, { name: customer.maskedName })}</h2>
            {customer.tier === 'vip' && <p class="badge">{t(s.tierVip)}</p>}
            {customer.tier === 'elderly' && <p class="badge">{t(s.tierElderly)}</p>}
            <p>{t(s.chooseForYou)}</p>
          </>
        ) : (
          <>
            <h2 id="identify-title">{t(s.identifyPanel)}</h2>
            <p>{t(s.identifyPanelSub)}</p>
            <Button variant="primary" onClick={onIdentify}>
              {t(s.identifyByPhone)}
            </Button>
            {hall.usable('id-reader') && <p class="device-hint id-card">{t(s.byIdCard)}</p>}
            {hall.usable('scanner') && <p class="device-hint scanner">{t(s.byMemberQr)}</p>}
          </>
        )}
      </aside>
    </div>
  );
}
