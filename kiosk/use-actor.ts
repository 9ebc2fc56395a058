/**
 * Preact bindings for xstate actors (STACK.md's hook, without `preact/compat`: plain hooks keep the
 * kiosk bundle small, and reading `getSnapshot()` during render is always current).
 */
import { useEffect, useReducer } from 'preact/hooks';
import type { AnyActorRef, SnapshotFrom } from 'xstate';

/** Re-renders whenever the actor's snapshot changes; works for the root actor and for child flows. */
export function useSnapshot<TRef extends AnyActorRef>(ref: TRef): SnapshotFrom<TRef> {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    // An error listener keeps a failing child from being reported as unhandled; the parent handles it.
    const subscription = ref.subscribe({ next: () => rerender(undefined), error: () => rerender(undefined) });
    rerender(undefined); // a change between render and subscribe
    return () => subscription.unsubscribe();
  }, [ref]);
  return ref.getSnapshot();
}
