import type { ComponentChildren } from 'preact';
import { useState } from 'preact/hooks';
import type { Text } from '../../server/contract/api.ts';
import { ApiError } from '../../server/contract/client.ts';
import { Bi } from '../common/text.tsx';
import { errorText } from './use-api.ts';

/**
 * The sign-in form of the manager and HQ pages. `signIn` sends the name and password and answers what to
 * tell the person instead of signing them in (null when signed in); a refused password or a failed
 * request is worded here. `ended`: the last session expired or was ended elsewhere.
 */
export function SignInForm({
  title,
  ended,
  signIn,
  children,
}: {
  title: Text;
  ended: boolean;
  signIn: (username: string, password: string) => Promise<string | null>;
  children?: ComponentChildren;
}) {
  const [error, setError] = useState<string | null>(
    ended ? '登录已过期，请重新登录 / Your session has ended, please sign in again' : null,
  );
  const submit = async (e: Event) => {
    e.preventDefault();
    const form = new FormData(e.currentTarget as HTMLFormElement);
    try {
      setError(await signIn(String(form.get('username')), String(form.get('password'))));
    } catch (err) {
      setError(
        err instanceof ApiError && err.status === 401
          ? '账号或密码错误 / Wrong username or password'
          : errorText(err),
      );
    }
  };
  return (
    <form class="sign-in" onSubmit={submit}>
      <h1>
        <Bi text={title} />
      </h1>
      <label>
        <Bi text={{ zh: '账号', en: 'Username' }} />
        <input name="username" autocomplete="username" required />
      </label>
      <label>
        <Bi text={{ zh: '密码', en: 'Password' }} />
        <input name="password" type="password" autocomplete="current-password" required />
      </label>
      <button type="submit">
        <Bi text={{ zh: '登录', en: 'Sign in' }} />
      </button>
      {error && <p role="alert">{error}</p>}
      {children}
    </form>
  );
}
