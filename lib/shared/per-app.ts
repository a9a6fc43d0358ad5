import { IConstruct } from 'constructs';

/**
 * State kept once per App (the root of `scope`), for what a construct must know of its siblings: the
 * PriorityClasses created, the host ports and stack names taken. A WeakMap, so Apps are freed.
 */
export function perApp<T>(registry: WeakMap<IConstruct, T>, scope: IConstruct, create: () => T): T {
  const root = scope.node.root;
  let state = registry.get(root);
  if (state === undefined) {
    state = create();
    registry.set(root, state);
  }
  return state;
}
