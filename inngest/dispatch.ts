import { events, inngest, isInngestConfigured, type ExecutionFinishedData, type ExecutionQueuedData } from "./client";
import { directStep, runExecutionInProcess } from "./embedded";

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
  await sendWithTimeout({ name: events.executionQueued, data });
}

/**
 * Tells whoever should hear that a run finished: with Inngest, an `execution.finished` event
 * (its id makes a resent event count once); in-process, the same handler runs here and now.
 * Notifications must never fail the run, so in-process trouble is logged, not thrown.
 */
export async function announceExecutionFinished(data: ExecutionFinishedData): Promise<void> {
  if (isInngestConfigured()) {
    await sendWithTimeout({ id: `execution-finished-${data.executionId}`, name: events.executionFinished, data });
    return;
  }
  try {
    const { notifyExecutionFinishedHandler } = await import("./functions/notify-execution-finished");
    await notifyExecutionFinishedHandler({ event: { data }, step: directStep });
  } catch (error) {
    console.error(`Runlog: notifications for execution ${data.executionId} failed:`, error);
  }
}

async function sendWithTimeout(event: Parameters<typeof inngest.send>[0]): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`Inngest did not accept the event within ${sendTimeoutMs / 1000} s`)), sendTimeoutMs);
  });
  try {
    await Promise.race([inngest.send(event), timeout]);
  } finally {
    clearTimeout(timer);
  }
}
