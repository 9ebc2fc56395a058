import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import { Button } from './Button.tsx';
import { Keypad } from './Keypad.tsx';
import { Problem } from './Problem.tsx';
import { Screen } from './Screen.tsx';

/**
 * A step where the customer types digits on the keypad and submits them (phone number, SMS code,
 * appointment code). The digits live in this component only, so they vanish with it.
 */
export function DigitsStep(props: {
  title: string;
  lead?: string;
  problem: string | null;
  minLength: number;
  maxLength: number;
  submitLabel: string;
  onSubmit: (digits: string) => void;
  /** Buttons before the submit button, e.g. Back. */
  footer: ComponentChildren;
}) {
  const [digits, setDigits] = useState('');
  return (
    <Screen
      title={props.title}
      lead={props.lead}
      footer={
        <>
          {props.footer}
          <Button
            variant="primary"
            disabled={digits.length < props.minLength}
            onClick={() => props.onSubmit(digits)}
          >
            {props.submitLabel}
          </Button>
        </>
      }
    >
      <output class="entry" aria-live="polite">
        {digits || '\u00a0'}
      </output>
      <Problem code={props.problem} />
      <Keypad value={digits} onChange={setDigits} maxLength={props.maxLength} />
    </Screen>
  );
}
