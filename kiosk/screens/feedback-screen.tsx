import type { ActorRefFrom } from 'xstate';
import { useActorSnapshot } from '../../display/common/use-actor.ts';
import { FEEDBACK_KINDS, FEEDBACK_TOPICS } from '../../server/contract/kiosk.ts';
import { BackButton, Button } from '../components/button.tsx';
import { Problem } from '../components/problem.tsx';
import { Screen, Waiting } from '../components/screen.tsx';
import type { feedbackMachine } from '../flows/feedback.machine.ts';
import { useText } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';

const kindNames = { complaint: s.kindComplaint, suggestion: s.kindSuggestion, praise: s.kindPraise };
const topicNames = {
  waiting: s.topicWaiting,
  staff: s.topicStaff,
  billing: s.topicBilling,
  network: s.topicNetwork,
  product: s.topicProduct,
  other: s.topicOther,
};

export function FeedbackScreen({ actor }: { actor: ActorRefFrom<typeof feedbackMachine> }) {
  const t = useText();
  const snapshot = useActorSnapshot(actor);
  const { context } = snapshot;
  const send = actor.send;
  const back = <BackButton send={send} />;

  if (snapshot.matches('kind')) {
    return (
      <Screen title={t(s.feedbackTitle)} footer={back}>
        <div class="choices">
          {FEEDBACK_KINDS.map((kind) => (
            <Button key={kind} onClick={() => send({ type: 'KIND.CHOOSE', kind })}>
              {t(kindNames[kind])}
            </Button>
          ))}
        </div>
      </Screen>
    );
  }

  if (snapshot.matches('topics')) {
    return (
      <Screen
        title={t(kindNames[context.kind ?? 'suggestion'])}
        lead={t(s.chooseTopics)}
        footer={
          <>
            {back}
            <Button
              variant="primary"
              disabled={context.topics.length === 0}
              onClick={() => send({ type: 'SUBMIT' })}
            >
              {t(s.send)}
            </Button>
          </>
        }
      >
        <Problem code={context.problem} />
        <div class="choices">
          {FEEDBACK_TOPICS.map((topic) => (
            <Button
              key={topic}
              pressed={context.topics.includes(topic)}
              onClick={() => send({ type: 'TOPIC.TOGGLE', topic })}
            >
              {t(topicNames[topic])}
            </Button>
          ))}
        </div>
      </Screen>
    );
  }

  if (snapshot.matches('thanks')) {
    return (
      <Screen
        title={t(s.thanks)}
        lead={t(s.feedbackReference, { ref: context.reference ?? '' })}
        footer={
          <>
            {snapshot.can({ type: 'TICKET.TAKE' }) && (
              <Button onClick={() => send({ type: 'TICKET.TAKE' })}>{t(s.complaintTicket)}</Button>
            )}
            <Button variant="primary" onClick={() => send({ type: 'FINISH' })}>
              {t(s.done)}
            </Button>
          </>
        }
      />
    );
  }

  return <Waiting title={t(s.sending)} />;
}
