import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { isUniqueViolation } from "@/db/constraint-errors";
import { executions } from "@/db/schema";
import { agentCatalog, agentIds, estimateCredits, type AgentId } from "@/lib/agents/catalog";
import { getAgent, type AnySettings } from "@/lib/agents/registry";
import type { Ctx } from "@/lib/auth/context";
import { moveCredits } from "@/lib/credits/ledger";
import { describeInvalidInput, failure, type Failure, type Outcome } from "@/lib/outcome";
import { adapterFor, getWorkspaceConnection } from "@/lib/platforms";
import { PlatformError } from "@/lib/platforms/adapter";
import { getVisibleExecution } from "./queries";
import { recordAudit } from "@/lib/audit/record";

export const startExecutionInput = z.object({
  agentId: z.enum(agentIds as [AgentId, ...AgentId[]], { error: "Choose one of the agents in the catalog." }),
  settings: z.record(z.string(), z.unknown()),
  rerunOf: z.uuid().optional(),
  /** Makes a double-submitted form start one run. */
  requestId: z.string().min(8).max(100).optional(),
  /** The credits the person agreed to: a start whose estimate grew past it is refused. */
  maxCredits: z.number().int().min(0).optional(),
});

export type Estimate = { agentId: AgentId; itemCount: number; credits: number; settings: AnySettings };

/**
 * Validates settings against the agent, checks the store connection and counts the items
 * in scope. Shared by the run form's estimate, the start and scheduled workflows, so all
 * refuse the same things with the same words.
 */
export async function estimateExecution(ctx: Ctx, raw: unknown, now = new Date()): Promise<Outcome<{ estimate: Estimate }>> {
  const input = startExecutionInput.safeParse(raw);
  if (!input.success) return failure("invalid_input", describeInvalidInput(input.error));
  return estimateForWorkspace(ctx.workspaceId, input.data.agentId, input.data.settings, now);
}

export async function estimateForWorkspace(workspaceId: string, agentId: AgentId, rawSettings: unknown, now = new Date()): Promise<Outcome<{ estimate: Estimate }>> {
  const agent = getAgent(agentId);
  const settings = agent.settingsSchema.safeParse(rawSettings);
  if (!settings.success) return failure("invalid_input", `Check the settings: ${describeInvalidInput(settings.error)}`);
  const connection = await getWorkspaceConnection(workspaceId);
  if (!connection) return failure("conflict", "This workspace has no store connection. Connect a store first.");
  if (connection.health === "lost") {
    return failure("conflict", "The store connection is lost, so the agent cannot read your store. Reconnect it under Settings, then run again.");
  }
  let itemCount: number;
  try {
    itemCount = await adapterFor(connection).countItems(agent.itemQuery(settings.data, now));
  } catch (error) {
    if (error instanceof PlatformError) return failure("conflict", `The store did not answer: ${error.message}`);
    throw error;
  }
  if (itemCount === 0) return failure("invalid_input", "No items match this scope. Choose another collection or more items.");
  return { ok: true, estimate: { agentId, itemCount, credits: estimateCredits(agentId, itemCount), settings: settings.data } };
}

/** A person starts a run from the run form (or "Run again"). */
export async function startExecution(ctx: Ctx, raw: unknown): Promise<Outcome<{ executionId: string; isRepeat: boolean }>> {
  const estimated = await estimateExecution(ctx, raw);
  if (!estimated.ok) return estimated;
  const input = startExecutionInput.parse(raw);
  if (input.maxCredits !== undefined && estimated.estimate.credits > input.maxCredits) {
    return failure("conflict", `This run would reserve ${estimated.estimate.credits.toLocaleString("en-US")} credits, more than the ${input.maxCredits.toLocaleString("en-US")} agreed; estimate again and confirm the new cost.`);
  }
  if (input.rerunOf && !(await getVisibleExecution(ctx, input.rerunOf))) return failure("not_found", "The execution to run again was not found.");
  return queueExecution({
    workspaceId: ctx.workspaceId, estimate: estimated.estimate, triggeredBy: ctx.userId, chargedUserId: ctx.userId,
    rerunOf: input.rerunOf ?? null, workflowId: null, idempotencyKey: input.requestId ? `start:${ctx.userId}:${input.requestId}` : null,
  });
}

type QueueRequest = {
  workspaceId: string;
  estimate: Estimate;
  triggeredBy: string | null;
  /** Whose usage the credits count toward: the person, or a workflow's creator. */
  chargedUserId: string | null;
  rerunOf: string | null;
  workflowId: string | null;
  idempotencyKey: string | null;
};

/**
 * Queues a run: reserves its estimated credits and records the execution in one
 * transaction, so concurrent starts can never overdraw the balance; a refusal changes
 * nothing. The caller dispatches the returned id to the engine.
 */
export async function queueExecution(request: QueueRequest): Promise<Outcome<{ executionId: string; isRepeat: boolean }>> {
  const { workspaceId, estimate, idempotencyKey } = request;
  const connection = await getWorkspaceConnection(workspaceId);
  if (!connection) return failure("conflict", "This workspace has no store connection. Connect a store first.");
  const db = await getDb();
  try {
    return await db.transaction(async (tx) => {
      if (idempotencyKey) {
        const [existing] = await tx.select({ id: executions.id }).from(executions).where(and(eq(executions.workspaceId, workspaceId), eq(executions.idempotencyKey, idempotencyKey)));
        if (existing) return { ok: true as const, executionId: existing.id, isRepeat: true };
      }
      const [execution] = await tx
        .insert(executions)
        .values({
          workspaceId, agentId: estimate.agentId, agentVersion: agentCatalog[estimate.agentId].version, status: "queued",
          settings: estimate.settings, scope: estimate.settings.scope, connectionId: connection.id, itemsTotal: estimate.itemCount,
          creditsReserved: estimate.credits, triggeredBy: request.triggeredBy, workflowId: request.workflowId, rerunOf: request.rerunOf,
          idempotencyKey, preview: "Waiting to start",
        })
        .returning({ id: executions.id });
      const reserved = await moveCredits(tx, {
        workspaceId, kind: "reserve", amount: estimate.credits, idempotencyKey: `reserve:${execution!.id}`,
        executionId: execution!.id, agentId: estimate.agentId, userId: request.chargedUserId, itemsInScope: estimate.itemCount,
      });
      if (!reserved.ok) throw new Refusal(reserved);
      await recordAudit(tx, { workspaceId, userId: request.triggeredBy }, {
        action: "execution.started",
        target: execution!.id,
        data: { agentId: estimate.agentId, items: estimate.itemCount, creditsReserved: estimate.credits, workflowId: request.workflowId ?? null, rerunOf: request.rerunOf ?? null },
      });
      return { ok: true as const, executionId: execution!.id, isRepeat: false };
    });
  } catch (error) {
    if (error instanceof Refusal) return error.failure;
    // The same request submitted twice at once: the other submit created the run, and this
    // one answers with it (its own transaction rolled back, so nothing was reserved twice).
    if (idempotencyKey && isUniqueViolation(error, "executions_idempotency_key")) {
      const [existing] = await db.select({ id: executions.id }).from(executions).where(and(eq(executions.workspaceId, workspaceId), eq(executions.idempotencyKey, idempotencyKey)));
      if (existing) return { ok: true, executionId: existing.id, isRepeat: true };
    }
    throw error;
  }
}

/** Rolls the transaction back and carries the refusal out of it. */
class Refusal extends Error {
  constructor(readonly failure: Failure) {
    super(failure.message);
  }
}
