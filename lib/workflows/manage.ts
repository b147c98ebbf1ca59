import { and, asc, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb } from "@/db/client";
import { users, workflows, type Workflow } from "@/db/schema";
import { agentIds, type AgentId } from "@/lib/agents/catalog";
import { getAgent, type AnySettings } from "@/lib/agents/registry";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { describeInvalidInput, failure, type Outcome } from "@/lib/outcome";
import { createOnce, removedSince } from "@/lib/submissions/create-once";
import { nextRunAfter, scheduleSchema, timeZoneSchema } from "./schedule";
import { recordAudit } from "@/lib/audit/record";

const editable = {
  name: z.string().trim().min(1, "Name the workflow.").max(120, "Keep the name under 120 characters."),
  schedule: scheduleSchema,
  timeZone: timeZoneSchema,
  maxItems: z.coerce.number().int().min(1, "Process at least one item.").max(10_000, "At most 10,000 items per run."),
  isEnabled: z.boolean(),
};

const workflowInput = z.object({
  ...editable,
  agentId: z.enum(agentIds as [AgentId, ...AgentId[]], { error: "Choose one of the agents in the catalog." }),
  timeZone: editable.timeZone.default("UTC"),
  isEnabled: editable.isEnabled.default(true),
});

export type WorkflowRow = Workflow & { createdByName: string | null };

/** Workflows this person may see: an admin's whole workspace, a member's own. */
export async function listWorkflows(ctx: Ctx): Promise<WorkflowRow[]> {
  const db = await getDb();
  const rows = await db
    .select({ workflow: workflows, createdByName: users.name })
    .from(workflows)
    .leftJoin(users, eq(users.id, workflows.createdBy))
    .where(isAdmin(ctx) ? eq(workflows.workspaceId, ctx.workspaceId) : and(eq(workflows.workspaceId, ctx.workspaceId), eq(workflows.createdBy, ctx.userId)))
    .orderBy(asc(workflows.name));
  return rows.map(({ workflow, createdByName }) => ({ ...workflow, createdByName }));
}

type CreatedWorkflow = { workflowId: string; isRepeat: boolean };

/** Creates a workflow that runs the agent with its default settings and the given scope size; a form's try sent again answers the one its first try created. */
export async function createWorkflow(ctx: Ctx, raw: unknown, now = new Date()): Promise<Outcome<CreatedWorkflow>> {
  return createOnce<CreatedWorkflow>(ctx, "workflow", raw, {
    create: async (claim) => {
      const parsed = workflowInput.safeParse(raw);
      if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
      const input = parsed.data;
      const agent = getAgent(input.agentId);
      const settings = { ...agent.defaultSettings, scope: { mode: "all" as const, maxItems: input.maxItems } };
      const db = await getDb();
      const workflowId = await db.transaction(async (tx) => {
        const [created] = await tx
          .insert(workflows)
          .values({
            id: await claim(tx), workspaceId: ctx.workspaceId, name: input.name, agentId: input.agentId, settings, schedule: input.schedule, timeZone: input.timeZone,
            isEnabled: input.isEnabled, createdBy: ctx.userId, nextRunAt: input.isEnabled ? nextRunAfter(input.schedule, input.timeZone, now) : null,
          })
          .returning({ id: workflows.id });
        await recordAudit(tx, ctx, { action: "workflow.created", target: created!.id, data: { name: input.name, agentId: input.agentId, schedule: input.schedule } });
        return created!.id;
      });
      return { ok: true, workflowId, isRepeat: false };
    },
    repeat: async (createdId) => {
      const workflow = await findWorkflow(ctx, createdId);
      return workflow ? { ok: true, workflowId: workflow.id, isRepeat: true } : removedSince("workflow");
    },
  });
}

/** Only the fields given change (no defaults here: a missing field keeps its value). */
const workflowUpdate = z.object(editable).partial().extend({ workflowId: z.uuid("Workflow not found.") });

/** Its creator or an admin, in this workspace; undefined otherwise. */
export async function findWorkflow(ctx: Ctx, workflowId: string): Promise<Workflow | undefined> {
  if (!z.uuid().safeParse(workflowId).success) return undefined;
  const db = await getDb();
  const [workflow] = await db.select().from(workflows).where(and(eq(workflows.id, workflowId), eq(workflows.workspaceId, ctx.workspaceId)));
  return workflow && (isAdmin(ctx) || workflow.createdBy === ctx.userId) ? workflow : undefined;
}

/** Turns a workflow on or off, renames it, changes its schedule or its scope size. Its creator or an admin. */
export async function updateWorkflow(ctx: Ctx, raw: unknown, now = new Date()): Promise<Outcome> {
  const parsed = workflowUpdate.safeParse(raw);
  if (!parsed.success) return failure("invalid_input", describeInvalidInput(parsed.error));
  const { workflowId, ...change } = parsed.data;
  const db = await getDb();
  return db.transaction(async (tx) => {
    const [workflow] = await tx.select().from(workflows).where(and(eq(workflows.id, workflowId), eq(workflows.workspaceId, ctx.workspaceId))).for("update");
    if (!workflow || (!isAdmin(ctx) && workflow.createdBy !== ctx.userId)) return failure("not_found", "Workflow not found.");
    const isEnabled = change.isEnabled ?? workflow.isEnabled;
    const schedule = change.schedule ?? workflow.schedule;
    const timeZone = change.timeZone ?? workflow.timeZone;
    const settings = change.maxItems === undefined ? workflow.settings : { ...workflow.settings, scope: { ...(workflow.settings as AnySettings).scope, maxItems: change.maxItems } };
    await tx
      .update(workflows)
      .set({ name: change.name ?? workflow.name, isEnabled, schedule, timeZone, settings, nextRunAt: isEnabled ? nextRunAfter(schedule, timeZone, now) : null })
      .where(eq(workflows.id, workflowId));
    await recordAudit(tx, ctx, { action: "workflow.updated", target: workflowId, data: change });
    return { ok: true };
  });
}
