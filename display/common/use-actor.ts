/**
 * The Preact binding for xstate actors, shared by the kiosk and the display pages. xstate has none for
 * Preact, and plain hooks (no `preact/compat`) keep the bundles small.
 */
import { useEffect, useReducer } from 'preact/hooks';
import type { AnyActorRef, SnapshotFrom } from 'xstate';

/**
 * The current snapshot of a running actor, re-rendering on each change; works for a root actor and for
 * child flows. Reading `getSnapshot()` during render is always current, even for a change between render
 * and subscription.
 */
export function useActorSnapshot<TRef extends AnyActorRef>(ref: TRef): SnapshotFrom<TRef> {
  const [, rerender] = useReducer((n: number) => n + 1, 0);
  useEffect(() => {
    // An error listener keeps a failing child from being reported as unhandled; the parent handles it.
    const subscription = ref.subscribe({ next: () => rerender(undefined), error: () => rerender(undefined) });
    rerender(undefined); // a change between render and subscribe
    return () => subscription.unsubscribe();
  }, [ref]);
  return ref.getSnapshot();
}
