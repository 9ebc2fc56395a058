import type { ActorRefFrom } from 'xstate';
import { useActorSnapshot } from '../../display/common/use-actor.ts';
import { BackButton, Button } from '../components/button.tsx';
import { useCountdown } from '../components/countdown.ts';
import { DigitsStep } from '../components/digits-step.tsx';
import { Problem } from '../components/problem.tsx';
import { Screen, Waiting } from '../components/screen.tsx';
import type { identifyMachine } from '../flows/identify.machine.ts';
import { useText } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';
import { useHall } from './hall-context.ts';

type IdentifyRef = ActorRefFrom<typeof identifyMachine>;

/** Screens show masked data only, even the number the customer just typed. */
function maskPhone(phone: string): string {
  return `${phone.slice(0, 3)}****${phone.slice(7)}`;
}

export function IdentifyScreen({ actor }: { actor: IdentifyRef }) {
  const t = useText();
  const hall = useHall();
  const snapshot = useActorSnapshot(actor);
  const { context } = snapshot;
  const send = actor.send;
  const back = <BackButton send={send} />;

  if (snapshot.matches('choosing')) {
    // Only the ways this kiosk can offer now: a missing or broken reader is simply not mentioned.
    return (
      <Screen
        title={t(s.identifyTitle)}
        lead={t(context.required ? s.identifyRequired : s.identifyOptional)}
        footer={
          <>
            {back}
            {!context.required && <Button onClick={() => send({ type: 'SKIP' })}>{t(s.skip)}</Button>}
          </>
        }
      >
        <Problem code={context.problem} />
        <div class="ways">
          <Button variant="primary" onClick={() => send({ type: 'PHONE.START' })}>
            {t(s.byPhone)}
          </Button>
          {hall.usable('id-reader') && <p class="device-hint id-card">{t(s.byIdCard)}</p>}
          {hall.usable('scanner') && <p class="device-hint scanner">{t(s.byMemberQr)}</p>}
        </div>
      </Screen>
    );
  }

  if (snapshot.matches({ phone: 'entering' })) {
    return (
      <DigitsStep
        key="phone"
        title={t(s.enterPhone)}
        problem={context.problem}
        maxLength={11}
        minLength={11}
        submitLabel={t(s.sendCode)}
        onSubmit={(phone) => send({ type: 'PHONE.SUBMIT', phone })}
        footer={back}
        initial={context.phone ?? ''}
        waitSeconds={context.retryAfterSeconds}
      />
    );
  }

  if (snapshot.matches({ phone: 'code' })) {
    return (
      <DigitsStep
        key="code"
        title={t(s.enterCode)}
        lead={t(s.codeSentTo, { phone: maskPhone(context.phone ?? '') })}
        problem={context.problem}
        maxLength={6}
        minLength={4}
        submitLabel={t(s.verify)}
        onSubmit={(code) => send({ type: 'CODE.SUBMIT', code })}
        footer={
          <>
            {back}
            <ResendButton
              seconds={Math.ceil(context.resendAfterMs / 1_000)}
              resendable={snapshot.matches({ phone: { code: 'resendable' } })}
              onResend={() => send({ type: 'CODE.RESEND' })}
            />
          </>
        }
      />
    );
  }

  if (snapshot.matches({ phone: 'requesting' })) return <Waiting title={t(s.sendingCode)} />;
  if (snapshot.matches({ phone: 'verifying' })) return <Waiting title={t(s.verifying)} />;
  return <Waiting title={t(s.readingCard)} />;
}

/** "Send a new code", counting down the server's wait before it may be pressed. */
function ResendButton(props: { seconds: number; resendable: boolean; onResend: () => void }) {
  const t = useText();
  const left = useCountdown(props.seconds);
  return (
    <Button disabled={!props.resendable} onClick={props.onResend}>
      {props.resendable ? t(s.resendCode) : t(s.resendIn, { n: Math.max(1, left) })}
    </Button>
  );
}
