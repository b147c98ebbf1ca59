"use server";

import { startAndDispatch } from "@/inngest/start-run";
import { action } from "@/lib/http/action";
import { estimateExecution } from "@/lib/executions/start";

export const estimateRun = action({
  access: "member",
  run: (ctx, input: unknown) => estimateExecution(ctx, input),
});

export const startRun = action({
  access: "member",
  run: (ctx, input: unknown) => startAndDispatch(ctx, input),
  // The balance in the header changed with the reservation.
  revalidate: [{ layout: "/" }],
  redirect: (started) => (started.ok ? `/executions/${started.executionId}` : undefined),
});
