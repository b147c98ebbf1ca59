import { useSyncExternalStore } from "react";

const noSubscription = () => () => {};

/**
 * False while the server renders and the browser hydrates, true after: for what only the browser
 * can know (its time zone) and for handlers that must not replace a server action before the
 * page's script runs (a form posts to the action itself until then).
 */
export function useIsHydrated(): boolean {
  return useSyncExternalStore(noSubscription, () => true, () => false);
}
