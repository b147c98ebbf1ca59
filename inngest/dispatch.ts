import { inngest, isInngestConfigured, type RunlogEvent } from "./client";
import { handleEventInProcess } from "./embedded";

const sendTimeoutMs = 5_000;

/**
 * Sends one of our events from app code (a function sends its own with `step.sendEvent`):
 * to Inngest when it is configured, bounded by a timeout since `send` has none of its own;
 * else to the in-process backend, which finds the functions it triggers by name.
 */
export async function dispatchEvent(event: RunlogEvent): Promise<void> {
  if (!isInngestConfigured()) return handleEventInProcess(event);
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
