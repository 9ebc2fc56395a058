import type { ProblemCode } from '../flows/retry.ts';
import { useText } from '../i18n/index.ts';
import { problems } from '../i18n/kiosk.ts';

/**
 * Explains an error code in the customer's words; nothing when there is no problem. With `details` from
 * the server (e.g. the booked time), the code's fuller wording `<code>:details` says them.
 */
export function Problem({ code, details }: { code: ProblemCode | null; details?: Record<string, string> }) {
  const t = useText();
  if (code === null) return null;
  const full = details && Object.keys(details).length > 0 ? problems[`${code}:details`] : undefined;
  return (
    <p class="problem" role="alert">
      {full ? t(full, details) : t(problems[code] ?? problems.unexpected)}
    </p>
  );
}
