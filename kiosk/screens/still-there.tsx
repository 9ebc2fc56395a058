import { useEffect, useState } from 'preact/hooks';
import { Button } from '../components/button.tsx';
import { useText } from '../i18n/index.ts';
import { s } from '../i18n/kiosk.ts';

/**
 * The idle warning. The countdown is only a display: the kiosk machine decides when the session ends,
 * and any touch anywhere (this button included) answers it.
 */
export function StillThere({ seconds, onHere }: { seconds: number; onHere: () => void }) {
  const t = useText();
  const [left, setLeft] = useState(seconds);
  useEffect(() => {
    const timer = setInterval(() => setLeft((n) => Math.max(0, n - 1)), 1_000);
    return () => clearInterval(timer);
  }, []);
  return (
    <div class="overlay" role="alertdialog" aria-modal="true" aria-labelledby="still-there-title">
      <div class="overlay-box">
        <h1 id="still-there-title">{t(s.stillThere)}</h1>
        <p>{t(s.stillThereDetail, { n: left })}</p>
        <Button variant="primary" onClick={onHere}>
          {t(s.imHere)}
        </Button>
      </div>
    </div>
  );
}
