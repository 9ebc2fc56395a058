import { useText } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';
import { Button } from './button.tsx';

/**
 * A large digit pad: kiosks in Chromium's kiosk mode have no on-screen keyboard, and digits are all the
 * kiosk asks for (phone numbers, SMS codes, appointment codes).
 */
export function Keypad({
  value,
  onChange,
  maxLength,
}: {
  value: string;
  onChange: (next: string) => void;
  maxLength: number;
}) {
  const t = useText();
  const press = (digit: string) => {
    if (value.length < maxLength) onChange(value + digit);
  };
  return (
    <div class="keypad">
      {['1', '2', '3', '4', '5', '6', '7', '8', '9'].map((digit) => (
        <Button key={digit} onClick={() => press(digit)}>
          {digit}
        </Button>
      ))}
      <Button variant="quiet" onClick={() => onChange('')}>
        {t(s.clearAll)}
      </Button>
      <Button onClick={() => press('0')}>0</Button>
      <Button variant="quiet" onClick={() => onChange(value.slice(0, -1))}>
        {t(s.deleteDigit)}
      </Button>
    </div>
  );
}
