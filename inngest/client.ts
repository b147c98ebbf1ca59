import { Inngest } from "inngest";

/**
 * Inngest is used when it is configured (an event key for Inngest Cloud, or INNGEST_DEV /
 * INNGEST_BASE_URL for a self-hosted or dev server). Otherwise the same functions run
 * in-process (inngest/embedded.ts): the embedded default needs nothing installed.
 */
export function isInngestConfigured(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.INNGEST_EVENT_KEY || env.INNGEST_DEV || env.INNGEST_BASE_URL);
}

export const inngest = new Inngest({ id: "runlog" });

export const events = {
  executionQueued: "runlog/execution.queued",
  /** A run reached completed, partial, failed or canceled: notifications follow (F14). */
  executionFinished: "runlog/execution.finished",
} as const;

export type ExecutionQueuedData = { executionId: string; workspaceId: string };
export type ExecutionFinishedData = { executionId: string; workspaceId: string };
