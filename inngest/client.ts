import { cron, Inngest } from "inngest";
import type { Jsonify } from "inngest/types";
import { z } from "zod";

/**
 * Inngest is used when it is configured (an event key for Inngest Cloud, or INNGEST_DEV /
 * INNGEST_BASE_URL for a self-hosted or dev server). Otherwise the same functions run
 * in-process (inngest/embedded.ts): the embedded default needs nothing installed.
 */
export function isInngestConfigured(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.INNGEST_EVENT_KEY || env.INNGEST_DEV || env.INNGEST_BASE_URL);
}

export const inngest = new Inngest({ id: "runlog" });

const executionQueuedData = z.object({
  executionId: z.string().min(1),
  workspaceId: z.string().min(1),
  /** Set by the sweep when it hands an abandoned run to a new function run (lib/executions/sweep.ts). */
  handoff: z.string().min(1).optional(),
});
const executionFinishedData = z.object({ executionId: z.string().min(1), workspaceId: z.string().min(1) });
const bulkJobRequestedData = z.object({ jobId: z.string().min(1), workspaceId: z.string().min(1) });

export const events = {
  executionQueued: { name: "runlog/execution.queued", schema: executionQueuedData },
  /** A run reached completed, partial, failed or canceled: notifications follow (F14). */
  executionFinished: { name: "runlog/execution.finished", schema: executionFinishedData },
  /** A confirmed bulk action on every run a filter matched (lib/executions/bulk-by-filter.ts), or one resumed. */
  bulkJobRequested: { name: "runlog/bulk-job.requested", schema: bulkJobRequestedData },
} as const;

export type ExecutionQueuedData = z.infer<typeof executionQueuedData>;
export type ExecutionFinishedData = z.infer<typeof executionFinishedData>;
export type BulkJobRequestedData = z.infer<typeof bulkJobRequestedData>;

/** An event of ours, as `inngest.send` and `step.sendEvent` take it (`id` makes a resend count once). */
export type RunlogEvent =
  | { name: typeof events.executionQueued.name; data: ExecutionQueuedData; id?: string }
  | { name: typeof events.executionFinished.name; data: ExecutionFinishedData; id?: string }
  | { name: typeof events.bulkJobRequested.name; data: BulkJobRequestedData; id?: string };

/** What a step hands back: its result as JSON, as Inngest stores it between requests. */
type StepResult<T> = Jsonify<Awaited<T extends void ? null : T>>;

/**
 * The part of Inngest's `step` our functions use. Inngest's own `step` satisfies it, and
 * the in-process backend supplies one (`directStep` in inngest/embedded.ts).
 */
export type RunStep = {
  run<T>(id: string, work: () => Promise<T>): Promise<StepResult<T>>;
  sendEvent(id: string, event: RunlogEvent): Promise<unknown>;
};

type FunctionOptions = Parameters<typeof inngest.createFunction>[0];

export type EventHandlerInput<D> = { event: { data: D }; step: RunStep; runId: string };
export type ScheduledHandlerInput = { step: RunStep; now?: Date };

export type EventFunction = {
  id: string;
  event: string;
  /** Runs the handler on an event's data, checked against the event's schema first. */
  handle: (input: { data: unknown; step: RunStep; runId: string }) => Promise<unknown>;
  /**
   * In-process, whether the sender waits for the handler (short work), or the runner of the
   * in-process backend executes it when it takes up a run (inngest/embedded.ts).
   */
  inProcess: "await" | "runner";
  /** Inngest's per-key concurrency (in-process, the runner has its own limits). */
  concurrency?: { key: string; limit: number };
  definition: ReturnType<typeof inngest.createFunction>;
};

export type ScheduledFunction = {
  id: string;
  cron: string;
  handler: (input: ScheduledHandlerInput) => Promise<unknown>;
  /** In-process only: also run once when the scheduler starts (catching up on downtime). */
  runsOnStart: boolean;
  /** False for a function the in-process backend does its own way (see inngest/embedded.ts). */
  runsInProcess: boolean;
  definition: ReturnType<typeof inngest.createFunction>;
};

/**
 * A function triggered by one of our events: its Inngest definition and its handler, which
 * the in-process backend calls directly. The event's data is checked against its schema.
 */
export function eventFunction<D>(
  options: { id: string; event: { name: string; schema: z.ZodType<D> }; inProcess?: "await" | "runner"; concurrency?: { key: string; limit: number } } & Pick<FunctionOptions, "retries">,
  handler: (input: EventHandlerInput<D>) => Promise<unknown>,
): EventFunction {
  const { event: trigger, inProcess = "await", ...rest } = options;
  const handle: EventFunction["handle"] = async ({ data, step, runId }) => handler({ event: { data: trigger.schema.parse(data) }, step, runId });
  const definition = inngest.createFunction({ ...rest, triggers: [{ event: trigger.name }] }, ({ event, step, runId }) => handle({ data: event.data, step, runId }));
  return { id: options.id, event: trigger.name, handle, inProcess, concurrency: options.concurrency, definition };
}

/** A function on a cron schedule (UTC): Inngest triggers it, or the in-process scheduler does. */
export function scheduledFunction(
  options: { id: string; cron: string; runsOnStart?: boolean; runsInProcess?: boolean } & Pick<FunctionOptions, "concurrency">,
  handler: (input: ScheduledHandlerInput) => Promise<unknown>,
): ScheduledFunction {
  const { cron: schedule, runsOnStart = false, runsInProcess = true, ...rest } = options;
  const definition = inngest.createFunction({ ...rest, triggers: [cron(schedule)] }, ({ step }) => handler({ step }));
  return { id: options.id, cron: schedule, handler, runsOnStart, runsInProcess, definition };
}
