/**
 * The one rule for "the previous run" (issue: the details page's comparison and its Compare
 * button once used two): the newest earlier run of the same agent, completed or partial,
 * that this person can see. And whether two runs stand on the same basis — settings, scope,
 * period — so their figures may be called better or worse.
 */
import { and, desc, eq, inArray, lt, or } from "drizzle-orm";
import { getDb } from "@/db/client";
import { executions, type Execution, type ExecutionStatus } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { flattenSettings, settingLabel } from "./readable-settings";
import { visibleExecutions } from "./visibility";

/** Runs that finished with results a comparison can read. */
export const comparableStatuses = ["completed", "partial"] as const satisfies readonly ExecutionStatus[];

export type PreviousRun = Pick<Execution, "id" | "createdAt" | "settings" | "itemsProcessed">;

export async function findPreviousRun(ctx: Ctx, execution: Pick<Execution, "id" | "agentId" | "createdAt">): Promise<PreviousRun | null> {
  const db = await getDb();
  const [previous] = await db
    .select({ id: executions.id, createdAt: executions.createdAt, settings: executions.settings, itemsProcessed: executions.itemsProcessed })
    .from(executions)
    .where(and(
      visibleExecutions(ctx),
      eq(executions.agentId, execution.agentId),
      inArray(executions.status, [...comparableStatuses]),
      or(lt(executions.createdAt, execution.createdAt), and(eq(executions.createdAt, execution.createdAt), lt(executions.id, execution.id))),
    ))
    .orderBy(desc(executions.createdAt), desc(executions.id))
    .limit(1);
  return previous ?? null;
}

/** Metrics that count things over a run's days or items: across different bases they are compared as rates. */
export const countMetricRates: Record<string, "per day" | "per item"> = { sessions: "per day", items_below_50: "per item", heavy_images: "per item" };

type Based = { settings: unknown; itemsProcessed: number };

/**
 * How two runs' bases differ, in words ("Period: 30 vs 14 days"): their settings (scope and
 * period included) and how many items each covered. Empty: the same basis.
 */
export function basisDifferences(current: Based, previous: Based): string[] {
  const now = new Map(flattenSettings(current.settings));
  const then = new Map(flattenSettings(previous.settings));
  const differences: string[] = [];
  for (const name of new Set([...now.keys(), ...then.keys()])) {
    const [a, b] = [now.get(name) ?? "not set", then.get(name) ?? "not set"];
    if (a === b) continue;
    differences.push(name === "periodDays" ? `Period: ${a} vs ${b} days` : `${settingLabel(name)}: ${a} vs ${b}`);
  }
  if (current.itemsProcessed !== previous.itemsProcessed) differences.push(`Items covered: ${current.itemsProcessed} vs ${previous.itemsProcessed}`);
  return differences;
}
