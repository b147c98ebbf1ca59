"use server";

import { action, formArgs } from "@/lib/http/action";
import { requestCancel } from "@/lib/executions/cancel";
import { setActionItemDone } from "@/lib/results/action-items";
import { saveEditedText } from "@/lib/results/generated";
import { setExecutionKept } from "@/lib/retention/keep";

export const cancelRun = action({
  access: "member",
  run: (ctx, executionId: string) => requestCancel(ctx, executionId),
  revalidate: [{ layout: "/" }],
});

/** Saves a person's rewrite of a generated text; the rules on the text live in lib/results/generated.ts. */
export const saveEditedTextAction = action({
  access: "member",
  input: formArgs,
  run: (ctx, _previous: unknown, form: FormData) => saveEditedText(ctx, form.get("recommendationId"), form.get("text")),
  revalidate: (saved) => [`/executions/${saved.executionId}`],
});

export const setActionItemDoneAction = action({
  access: "member",
  run: (ctx, itemId: string, isDone: boolean) => setActionItemDone(ctx, itemId, isDone),
  revalidate: (item) => [`/executions/${item.executionId}`],
});

/** Keep from archival, or let it be archived when its period ends. */
export const setKeptAction = action({
  access: "member",
  run: (ctx, executionId: string, isKept: boolean) => setExecutionKept(ctx, executionId, isKept),
  revalidate: (_result, [executionId]) => [`/executions/${executionId}`, "/executions"],
});
