import type { ActorRefFrom } from 'xstate';
import { useActorSnapshot } from '../../display/common/use-actor.ts';
import type { AccountSummary, Order } from '../../server/contract/kiosk.ts';
import { BackButton, Button } from '../components/button.tsx';
import { Problem } from '../components/problem.tsx';
import { Screen, Waiting } from '../components/screen.tsx';
import type { selfServiceMachine } from '../flows/self-service.machine.ts';
import { useText, yuan } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';
import { useHall } from './hall-context.ts';
import { IdentifyScreen } from './identify-screen.tsx';

type SelfServiceRef = ActorRefFrom<typeof selfServiceMachine>;

export function SelfServiceScreen({ actor }: { actor: SelfServiceRef }) {
  const t = useText();
  const hall = useHall();
  const snapshot = useActorSnapshot(actor);
  const { context } = snapshot;
  const send = actor.send;
  const back = <BackButton send={send} />;
  const ticketInstead = (
    <Button onClick={() => send({ type: 'TICKET.TAKE' })}>{t(s.takeTicketInstead)}</Button>
  );

  const identify = snapshot.children.identify;
  if (snapshot.matches('identifying') && identify) return <IdentifyScreen actor={identify} />;

  if (snapshot.matches('unavailable')) {
    return (
      <Screen
        title={t(s.selfService)}
        footer={
          <>
            {ticketInstead}
            <Button variant="primary" onClick={() => send({ type: 'RETRY' })}>
              {t(s.retry)}
            </Button>
          </>
        }
      >
        <Problem code={context.problem} />
      </Screen>
    );
  }

  if (snapshot.matches('menu') && context.account) {
    const { account } = context;
    const canPay = hall.usable('payment');
    return (
      <Screen
        title={t(s.selfService)}
        lead={`${account.maskedPhone} · ${t(account.plan)}`}
        footer={
          <>
            {ticketInstead}
            <Button variant="quiet" onClick={() => send({ type: 'FINISH' })}>
              {t(s.done)}
            </Button>
          </>
        }
      >
        <Problem code={context.problem} />
        <AccountCard account={account} />
        {/* Without a working terminal or printer those jobs go to a counter ("到柜台办理" below). */}
        <div class="choices">
          {canPay && (
            <Button variant="primary" onClick={() => send({ type: 'TOP_UP.START' })}>
              {t(s.topUp)}
            </Button>
          )}
          {canPay && snapshot.can({ type: 'BILL.PAY' }) && (
            <Button onClick={() => send({ type: 'BILL.PAY' })}>{t(s.payBill)}</Button>
          )}
          <Button onClick={() => send({ type: 'PACKS.START' })}>{t(s.addOnPacks)}</Button>
          {hall.usable('printer') && account.invoicePeriods.length > 0 && (
            <Button onClick={() => send({ type: 'INVOICE.START' })}>{t(s.printInvoice)}</Button>
          )}
        </div>
      </Screen>
    );
  }

  if (snapshot.matches('topUp')) {
    return (
      <Screen title={t(s.chooseAmount)} footer={back}>
        <div class="choices">
          {context.topUpAmountsFen.map((amountFen) => (
            <Button key={amountFen} onClick={() => send({ type: 'AMOUNT.CHOOSE', amountFen })}>
              {yuan(amountFen)}
            </Button>
          ))}
        </div>
      </Screen>
    );
  }

  if (snapshot.matches({ packs: 'choosing' })) {
    const balance = context.account?.balanceFen ?? 0;
    return (
      <Screen title={t(s.choosePack)} lead={t(s.packsFromBalance, { balance: yuan(balance) })} footer={back}>
        <div class="choices">
          {context.packs.map((pack) => (
            <Button
              key={pack.id}
              sub={`${t(pack.description)} · ${yuan(pack.priceFen)}${pack.priceFen > balance ? ` · ${t(s.packShort)}` : ''}`}
              onClick={() => send({ type: 'PACK.CHOOSE', packId: pack.id })}
            >
              {t(pack.name)}
            </Button>
          ))}
        </div>
      </Screen>
    );
  }

  if (snapshot.matches({ packs: 'confirming' }) && context.chosenPack) {
    const pack = context.chosenPack;
    const amounts = { price: yuan(pack.priceFen), balance: yuan(context.account?.balanceFen ?? 0) };
    // Packs are paid from the balance: say so, and say it before the yes when the balance falls short.
    const affordable = snapshot.can({ type: 'CONFIRM' });
    return (
      <Screen
        title={t(s.confirmPack, { name: t(pack.name) })}
        lead={affordable ? t(s.confirmPackDetail, amounts) : undefined}
        footer={
          <>
            {back}
            {affordable ? (
              <Button variant="primary" onClick={() => send({ type: 'CONFIRM' })}>
                {t(s.buy)}
              </Button>
            ) : (
              hall.usable('payment') && (
                <Button variant="primary" onClick={() => send({ type: 'TOP_UP.START' })}>
                  {t(s.topUp)}
                </Button>
              )
            )}
          </>
        }
      >
        {!affordable && <p class="notice">{t(s.packTooDear, amounts)}</p>}
      </Screen>
    );
  }

  if (snapshot.matches({ paying: 'reconnecting' })) {
    return <Waiting title={t(s.reconnecting)} lead={t(s.reconnectingDetail)} />;
  }

  if (snapshot.matches('paying') && context.order?.status === 'awaiting-payment') {
    return (
      <Waiting
        title={t(s.payAtTerminal, { amount: yuan(context.order.amountFen) })}
        lead={t(s.payAtTerminalSub)}
      >
        {snapshot.can({ type: 'PAYMENT.CANCEL' }) && (
          <Button variant="quiet" onClick={() => send({ type: 'PAYMENT.CANCEL' })}>
            {t(s.cancel)}
          </Button>
        )}
      </Waiting>
    );
  }

  if (snapshot.matches('settled') && context.order) {
    return (
      <OrderOutcome
        order={context.order}
        balanceAfter={context.balanceAfter}
        reading={snapshot.matches({ settled: 'reading' })}
        send={send}
      />
    );
  }

  if (snapshot.matches({ invoice: 'choosing' }) && context.account) {
    return (
      <Screen title={t(s.chooseInvoice)} footer={back}>
        <Problem code={context.problem} />
        <div class="choices">
          {context.account.invoicePeriods.map((period) => (
            <Button key={period} onClick={() => send({ type: 'INVOICE.PRINT', period })}>
              {period}
            </Button>
          ))}
        </div>
      </Screen>
    );
  }

  if (snapshot.matches({ invoice: 'printed' })) {
    const printed = context.invoice?.print === 'printed';
    return (
      <Screen
        title={t(printed ? s.invoicePrinted : s.invoiceFailed)}
        footer={
          <Button variant="primary" onClick={() => send({ type: 'BACK' })}>
            {t(s.backToMenu)}
          </Button>
        }
      />
    );
  }

  if (snapshot.matches('loading')) return <Waiting title={t(s.loadingAccount)} />;
  return <Waiting title={t(snapshot.matches('paying') ? s.preparingOrder : s.connecting)} />;
}

function AccountCard({ account }: { account: AccountSummary }) {
  const t = useText();
  const { dataMb, voiceMinutes } = account.usage;
  const gb = (mb: number) => `${(mb / 1024).toFixed(1)} GB`;
  return (
    <dl class="account-card">
      <dt>{t(s.balance)}</dt>
      <dd class="amount">{yuan(account.balanceFen)}</dd>
      {account.bill && (
        <>
          <dt>{t(s.currentBill, { period: account.bill.period })}</dt>
          <dd>
            {account.bill.paid
              ? t(s.billPaid)
              : t(s.billDue, { amount: yuan(account.bill.amountFen), date: account.bill.dueDate })}
          </dd>
        </>
      )}
      <dt>{t(s.dataUsage)}</dt>
      <dd>
        <meter min={0} max={dataMb.included} value={dataMb.used} />{' '}
        {t(s.usageOf, { used: gb(dataMb.used), total: gb(dataMb.included) })}
      </dd>
      <dt>{t(s.voiceUsage)}</dt>
      <dd>
        <meter min={0} max={voiceMinutes.included} value={voiceMinutes.used} />{' '}
        {t(s.usageOf, { used: `${voiceMinutes.used} min`, total: `${voiceMinutes.included} min` })}
      </dd>
    </dl>
  );
}

const PAID_TEXT = { 'top-up': s.paidTopUp, bill: s.paidBill, pack: s.paidPack } as const;

/** How an order ended; when paid, the amount and the balance now (read again after the payment). */
function OrderOutcome({
  order,
  balanceAfter,
  reading,
  send,
}: {
  order: Order;
  balanceAfter: number | null;
  reading: boolean;
  send: SelfServiceRef['send'];
}) {
  const t = useText();
  const ok = order.status === 'paid';
  const title = ok
    ? t(order.kind === 'pack' ? s.orderDone : s.paid)
    : order.status === 'declined'
      ? t(s.declined)
      : order.status === 'timeout'
        ? t(s.timedOut)
        : t(s.cancelled);
  return (
    <Screen
      title={title}
      footer={
        <>
          <Button variant={ok ? 'primary' : 'quiet'} onClick={() => send({ type: 'FINISH' })}>
            {t(s.backToMenu)}
          </Button>
          {!ok && (
            <Button variant="primary" onClick={() => send({ type: 'RETRY' })}>
              {t(s.retry)}
            </Button>
          )}
        </>
      }
    >
      {ok && <p class="paid-amount">{t(PAID_TEXT[order.kind], { amount: yuan(order.amountFen) })}</p>}
      {ok && reading && <p>{t(s.readingBalance)}</p>}
      {ok && balanceAfter !== null && (
        <p class="balance-now">{t(s.balanceNow, { amount: yuan(balanceAfter) })}</p>
      )}
      {order.problem && <p class="problem">{t(order.problem)}</p>}
      {order.reference && <p>{t(s.orderReference, { ref: order.reference })}</p>}
      {order.receipt === 'printed' && <p>{t(s.receiptPrinted)}</p>}
      {order.receipt === 'failed' && <p class="notice">{t(s.receiptFailed)}</p>}
    </Screen>
  );
}
