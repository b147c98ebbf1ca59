import { events, inngest, isInngestConfigured, type ExecutionQueuedData } from "./client";
import { runExecutionInProcess } from "./embedded";

const sendTimeoutMs = 5_000;

/**
 * Hands a queued execution to the engine: an event to Inngest when it is configured
 * (bounded by a timeout, since `send` has none of its own), else the in-process runner.
 */
export async function dispatchExecution(data: ExecutionQueuedData): Promise<void> {
  if (!isInngestConfigured()) {
    void runExecutionInProcess(data);
    return;
  }
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Inngest did not accept the event within ${sendTimeoutMs / 1000} s`)), sendTimeoutMs);
  });
  try {
    await Promise.race([inngest.send({ name: events.executionQueued, data }), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
