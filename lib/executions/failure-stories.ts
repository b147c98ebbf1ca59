import type { ExecutionErrorCode } from "@/db/schema";

/**
 * What each kind of failure means to a person (F15): the message, the check to make, and
 * the line the processing log records where the run stopped.
 */
export const failureStories: Record<ExecutionErrorCode, { message: string; hint: string; log: string }> = {
  connection_lost: {
    message: "The connection to the store was lost while reading items.",
    hint: "Check that the store connection is still active under Settings, then run the agent again.",
    log: "Store connection lost: the platform stopped answering",
  },
  insufficient_data: {
    message: "There was not enough data to analyse: the scope held too few items.",
    hint: "Widen the scope (another collection or a longer period) so the agent has something to compare.",
    log: "Too few items with data in scope",
  },
  invalid_settings: {
    message: "The settings no longer match the store or the agent.",
    hint: "Open Run again, check the settings and confirm.",
    log: "Settings were refused at run time",
  },
  rate_limited: {
    message: "The store's platform kept refusing requests (rate limit) after 5 retries.",
    hint: "Run the agent at a quieter time or with a smaller scope; the platform allows a limited number of calls per second.",
    log: "Platform answered 429 Too Many Requests after 5 retries with backoff",
  },
  timeout: {
    message: "The store took too long to answer and the step timed out.",
    hint: "The platform is slow right now. Try again later or with fewer items.",
    log: "Step timed out waiting for the platform",
  },
  internal: {
    message: "Runlog hit an unexpected error while running the agent.",
    hint: "Run it again; if it happens again, send the execution ID to support.",
    log: "Unexpected error",
  },
};
