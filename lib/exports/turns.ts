/**
 * Turns for work that holds a process's one thread and much of its memory: a few at a time,
 * the rest waiting in order of arrival, and a bounded queue beyond which callers are told to
 * come back rather than wait.
 */
export type Turns = {
  /** Waits for a turn; the answer gives it back (calling it again does nothing). */
  take: () => Promise<() => void>;
  /** Whether a caller arriving now would find the queue full. */
  isFull: () => boolean;
};

export function turns({ atOnce, waiting }: { atOnce: number; waiting: number }): Turns {
  let running = 0;
  const queue: (() => void)[] = [];
  const giveBack = () => {
    const next = queue.shift();
    if (next) next();
    else running--;
  };
  const releaseOnce = () => {
    let isReleased = false;
    return () => {
      if (isReleased) return;
      isReleased = true;
      giveBack();
    };
  };
  return {
    take: () => {
      if (running < atOnce) {
        running++;
        return Promise.resolve(releaseOnce());
      }
      // The turn passes straight from the one who gives it back: `running` stays as it is.
      return new Promise((resolve) => queue.push(() => resolve(releaseOnce())));
    },
    isFull: () => running >= atOnce && queue.length >= waiting,
  };
}
