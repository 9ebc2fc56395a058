import { useEffect, useState } from 'preact/hooks';
import type { AnyActorRef, SnapshotFrom } from 'xstate';

/**
 * The current snapshot of a running actor, re-rendering on each change (xstate has no Preact binding;
 * this is the 10-line equivalent of @xstate/react's useSelector without a selector).
 */
export function useActorSnapshot<A extends AnyActorRef>(actor: A): SnapshotFrom<A> {
  const [snapshot, setSnapshot] = useState<SnapshotFrom<A>>(() => actor.getSnapshot());
  useEffect(() => {
    const subscription = actor.subscribe((next: SnapshotFrom<A>) => setSnapshot(next));
    setSnapshot(actor.getSnapshot());
    return () => subscription.unsubscribe();
  }, [actor]);
  return snapshot;
}
