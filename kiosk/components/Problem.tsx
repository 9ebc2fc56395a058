import { useText } from '../i18n/index.ts';
import { problems } from '../i18n/kiosk.ts';

/** Explains an error code in the customer's words; nothing when there is no problem. */
export function Problem({ code }: { code: string | null }) {
  const t = useText();
  if (code === null) return null;
  return (
    <p class="problem" role="alert">
      {t(problems[code] ?? problems.unexpected ?? { zh: code, en: code })}
    </p>
  );
}
