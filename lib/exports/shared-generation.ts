/**
 * One generation read by several downloads: each reader gets every byte from the first, at its
 * own pace. The source is read as fast as it gives (a PDF is laid out whole in memory anyway),
 * and kept until the last reader has it; when every reader has gone before the end, the source
 * is canceled (which removes its half-stored file).
 */
export type SharedGeneration = {
  /** A new reader of the whole file, or null once the generation ended or was abandoned (start another). */
  read: () => ReadableStream<Uint8Array> | null;
};

function shareGeneration(source: ReadableStream<Uint8Array>, onEnd: () => void): SharedGeneration {
  const chunks: Uint8Array[] = [];
  let ending: { error?: unknown } | null = null;
  let isJoinable = true;
  let readers = 0;
  const wakers = new Set<() => void>();
  const wake = () => {
    for (const waker of wakers) waker();
    wakers.clear();
  };
  const stopJoining = () => {
    if (!isJoinable) return;
    isJoinable = false;
    onEnd();
  };
  const sourceReader = source.getReader();
  void (async () => {
    try {
      for (;;) {
        const { done, value } = await sourceReader.read();
        if (done) break;
        chunks.push(value);
        wake();
      }
      ending = {};
    } catch (error) {
      ending = { error };
    }
    stopJoining();
    wake();
  })();

  return {
    read: () => {
      if (!isJoinable) return null;
      readers++;
      let next = 0;
      let isDone = false;
      const leave = () => {
        if (isDone) return;
        isDone = true;
        readers--;
        if (readers === 0 && !ending) {
          stopJoining();
          void sourceReader.cancel().catch(() => {});
        }
      };
      return new ReadableStream<Uint8Array>({
        async pull(controller) {
          while (next >= chunks.length && !ending) await new Promise<void>((resolve) => wakers.add(resolve));
          if (next < chunks.length) {
            controller.enqueue(chunks[next++]!);
            return;
          }
          leave();
          if (ending?.error !== undefined) controller.error(ending.error);
          else controller.close();
        },
        cancel: leave,
      });
    },
  };
}

type Started = { ok: true; stream: ReadableStream<Uint8Array> };

/**
 * Generations under way in this process, by key: a download whose key has one under way reads
 * that one (`isJoined`) instead of starting its own. The key must name everything the file's
 * bytes depend on.
 */
export function generationsByKey<T extends Started>() {
  const underWay = new Map<string, Promise<{ started: T; generation: SharedGeneration } | null>>();
  return {
    async joinOrStart<F>(key: string, start: () => Promise<T | F>): Promise<(T & { isJoined: boolean }) | F> {
      for (;;) {
        const inProgress = underWay.get(key);
        if (!inProgress) break;
        const shared = await inProgress;
        const stream = shared?.generation.read();
        if (shared && stream) return { ...shared.started, stream, isJoined: true };
        if (underWay.get(key) === inProgress) underWay.delete(key);
      }
      let announce!: (shared: { started: T; generation: SharedGeneration } | null) => void;
      const mine = new Promise<{ started: T; generation: SharedGeneration } | null>((resolve) => (announce = resolve));
      underWay.set(key, mine);
      const forget = () => {
        if (underWay.get(key) === mine) underWay.delete(key);
      };
      try {
        const started = await start();
        if (!isStarted<T>(started)) {
          forget();
          announce(null);
          return started;
        }
        const generation = shareGeneration(started.stream, forget);
        announce({ started, generation });
        return { ...started, stream: generation.read()!, isJoined: false };
      } catch (error) {
        forget();
        announce(null);
        throw error;
      }
    },
  };
}

function isStarted<T extends Started>(value: unknown): value is T {
  return typeof value === "object" && value !== null && (value as { ok?: unknown }).ok === true;
}
