"use server";

import { startBulkAndDispatch } from "@/inngest/start-bulk";
import { listWorkspaceMembers } from "@/lib/auth/users";
import { action } from "@/lib/http/action";
import { getBulkJob, planBulkAction } from "@/lib/executions/bulk-by-filter";
import { failure } from "@/lib/outcome";

/**
 * What deleting, canceling and sharing every run the filters match would do, counted now (for
 * the confirm), and the members the runs could be shared with (everyone but the viewer).
 */
export const planBulkActionsAction = action({
  access: "member",
  run: async (ctx, query: unknown) => {
    const [toDelete, toCancel, toShare, members] = await Promise.all([
      planBulkAction(ctx, { action: "delete", query }), planBulkAction(ctx, { action: "cancel", query }), planBulkAction(ctx, { action: "share", query }), listWorkspaceMembers(ctx),
    ]);
    if (!toDelete.ok) return toDelete;
    if (!toCancel.ok) return toCancel;
    if (!toShare.ok) return toShare;
    const candidates = members.filter((member) => member.userId !== ctx.userId).map(({ userId, name, email }) => ({ userId, name, email }));
    return { ok: true as const, delete: toDelete.plan, cancel: toCancel.plan, share: toShare.plan, candidates };
  },
});

/** What sharing every run the filters match with the chosen members would do, in words, for the confirm. */
export const planBulkShareAction = action({
  access: "member",
  run: (ctx, query: unknown, share: unknown) => planBulkAction(ctx, { action: "share", query, share }),
});

/** Starts a confirmed bulk action over every matching run, as a background job. */
export const startBulkActionAction = action({ access: "member", run: (ctx, input: unknown) => startBulkAndDispatch(ctx, input) });

/** How far a bulk job the person asked for has got. */
export const bulkJobProgressAction = action({
  access: "member",
  run: async (ctx, id: string) => {
    const job = await getBulkJob(ctx, id);
    return job ? { ok: true as const, status: job.status, done: job.done, skipped: job.skipped, expected: job.expected } : failure("not_found", "That bulk action is not yours or does not exist.");
  },
});
