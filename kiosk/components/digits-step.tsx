import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { ProblemCode } from '../flows/retry.ts';
import { useText } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';
import { Button } from './button.tsx';
import { useCountdown } from './countdown.ts';
import { Keypad } from './keypad.tsx';
import { Problem } from './problem.tsx';
import { Screen } from './screen.tsx';

/**
 * A step where the customer types digits on the keypad and submits them (phone number, SMS code,
 * appointment code). The digits live in this component only, so they vanish with it; `initial` brings
 * back what the customer typed when the step is shown again after a refusal.
 */
export function DigitsStep(props: {
  title: string;
  lead?: string;
  problem: ProblemCode | null;
  /** What the server said beside the problem (e.g. a booked time). */
  problemDetails?: Record<string, string>;
  minLength: number;
  maxLength: number;
  submitLabel: string;
  onSubmit: (digits: string) => void;
  /** Buttons before the submit button, e.g. Back. */
  footer: ComponentChildren;
  initial?: string;
  /** The server asked to wait this long before trying again: submitting waits, counting down. */
  waitSeconds?: number | null;
}) {
  const t = useText();
  const [digits, setDigits] = useState(props.initial ?? '');
  const wait = useCountdown(props.waitSeconds ?? null);
  return (
    <Screen
      title={props.title}
      lead={props.lead}
      footer={
        <>
          {props.footer}
          <Button
            variant="primary"
            disabled={digits.length < props.minLength || wait > 0}
            onClick={() => props.onSubmit(digits)}
          >
            {wait > 0 ? t(s.tryAgainIn, { n: wait }) : props.submitLabel}
          </Button>
        </>
      }
    >
      <output class="entry" aria-live="polite">
        {digits || '\u00a0'}
      </output>
      <Problem code={props.problem} details={props.problemDetails} />
      <Keypad value={digits} onChange={setDigits} maxLength={props.maxLength} />
    </Screen>
  );
}
