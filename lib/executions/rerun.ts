import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executionItems } from "@/db/schema";
import { isAgentId, type AgentId } from "@/lib/agents/catalog";
import { getAgent, type AnySettings } from "@/lib/agents/registry";
import type { Ctx } from "@/lib/auth/context";
import { getVisibleExecution } from "./queries";

export type RerunMode = "same" | "smaller" | "failed-items";

/**
 * The run form's starting point for "Run again" (F11): the execution's own settings; for
 * "smaller", the scope halved (F15); for "failed-items", only the items that failed.
 */
export async function prefillFromExecution(ctx: Ctx, executionId: string, mode: RerunMode): Promise<{ agentId: AgentId; settings: AnySettings; rerunOf: string } | null> {
  const execution = await getVisibleExecution(ctx, executionId);
  if (!execution || !isAgentId(execution.agentId)) return null;
  const agent = getAgent(execution.agentId);
  const parsed = agent.settingsSchema.safeParse(execution.settings);
  const settings: AnySettings = parsed.success ? parsed.data : agent.defaultSettings;
  if (mode === "smaller") {
    settings.scope = { ...settings.scope, maxItems: Math.max(1, Math.floor(Math.min(settings.scope.maxItems, execution.itemsTotal || settings.scope.maxItems) / 2)) };
  }
  if (mode === "failed-items") {
    const db = await getDb();
    const failed = await db
      .select({ ref: executionItems.itemRef })
      .from(executionItems)
      .where(and(eq(executionItems.executionId, execution.id), eq(executionItems.outcome, "failed")));
    if (failed.length > 0) settings.scope = { mode: "items", itemIds: failed.map((f) => f.ref), maxItems: failed.length };
  }
  return { agentId: execution.agentId, settings, rerunOf: execution.id };
}
