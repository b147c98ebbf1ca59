import type { ConnectionHealth, ExecutionErrorCode } from "@/db/schema";

type FailureStory = {
  /** What happened; stored on the run. */
  message: string;
  /** What to do next; stored on the run. */
  hint: string;
  /** The processing-log line written where the run stopped. */
  log: string;
  /** Troubleshooting: the likely cause, in plain words. */
  cause: string;
  /** Troubleshooting: the one thing to check before running again. */
  check: string;
  /** Whether the store connection's health can explain this failure. */
  isAboutConnection: boolean;
};

/**
 * What each kind of failure means to a person (F15): the message, the check to make, and
 * the line the processing log records where the run stopped.
 */
export const failureStories: Record<ExecutionErrorCode, FailureStory> = {
  connection_lost: {
    message: "The connection to the store was lost while reading items.",
    hint: "Check that the store connection is still active under Settings, then run the agent again.",
    log: "Store connection lost: the platform stopped answering",
    cause: "Runlog could not reach the store while the agent was reading items: the connection was disconnected, its access was withdrawn, or the store was offline for a while.",
    check: "Make sure the store connection shows Active (Settings → Store connection); reconnect the store if it does not, then run again.",
    isAboutConnection: true,
  },
  insufficient_data: {
    message: "There was not enough data to analyse: the scope held too few items.",
    hint: "Widen the scope (another collection or a longer period) so the agent has something to compare.",
    log: "Too few items with data in scope",
    cause: "The scope held too few items with the data this agent needs — for example an empty collection, or a period without traffic.",
    check: "Look at the scope in the input settings: choose a collection that has items, or a longer period, and run again.",
    isAboutConnection: false,
  },
  invalid_settings: {
    message: "The settings no longer match the store or the agent.",
    hint: "Open Run again, check the settings and confirm.",
    log: "Settings were refused at run time",
    cause: "A setting points at something that no longer exists in the store (a collection, a page), or no longer fits this version of the agent.",
    check: "Open Run again and check each setting against the store before confirming.",
    isAboutConnection: false,
  },
  rate_limited: {
    message: "The store's platform kept refusing requests (rate limit) after 5 retries.",
    hint: "Run the agent at a quieter time or with a smaller scope; the platform allows a limited number of calls per second.",
    log: "Platform answered 429 Too Many Requests after 5 retries with backoff",
    cause: "The store's platform accepts only so many calls per second, and this run needed more than it allowed, even after waiting and retrying.",
    check: "Run again with a smaller scope, or at a quieter time when other apps are not calling the store.",
    isAboutConnection: true,
  },
  timeout: {
    message: "The store took too long to answer and the step timed out.",
    hint: "The platform is slow right now. Try again later or with fewer items.",
    log: "Step timed out waiting for the platform",
    cause: "The store's platform answered too slowly, so a step ran out of time. It is usually temporary.",
    check: "See whether the store connection shows Slow; wait for it to recover, or run again with fewer items.",
    isAboutConnection: true,
  },
  internal: {
    message: "Runlog hit an unexpected error while running the agent.",
    hint: "Run it again; if it happens again, send the execution ID to support.",
    log: "Unexpected error",
    cause: "Something went wrong inside Runlog, not in the store or in the settings.",
    check: "Run it again. If it fails the same way, send the execution ID to support.",
    isAboutConnection: false,
  },
};

/** A partial run has no error code: some items failed, each with its own reason. */
export const partialStory = {
  cause: "The run finished, but the agent could not work on some items — each one keeps its reason below. The rest were processed and charged.",
  check: "Read the reasons: fix what they name in the store (a missing description, an unpublished page), then retry just the failed items.",
};

/**
 * What the store connection's health right now means for running again: a failure the
 * connection explains is worth retrying only once the connection is healthy.
 */
export function connectionAdvice(health: ConnectionHealth, isAboutConnection: boolean, detail: { rateLimitPerSecond: number | null; latencyMs: number | null }): string {
  switch (health) {
    case "active":
      return isAboutConnection ? "The connection is active now, so running again should work." : "The connection is active: it did not cause this.";
    case "lost":
      return "The connection is lost right now: reconnect the store before running again, or the run will fail the same way.";
    case "rate_limited":
      return `The platform is limiting calls${detail.rateLimitPerSecond !== null ? ` to ${detail.rateLimitPerSecond} per second` : ""} right now: a smaller scope or a quieter time is more likely to get through.`;
    case "slow":
      return `The platform is slow right now${detail.latencyMs !== null ? ` (about ${detail.latencyMs.toLocaleString("en-US")} ms per call)` : ""}: a large run may time out.`;
  }
}
