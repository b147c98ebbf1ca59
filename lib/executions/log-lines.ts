/** Writing a run's processing log: lines numbered on from the last, in SQL. */
import { sql } from "drizzle-orm";
import type { Tx } from "@/db/client";
import { executionLogs, type Execution } from "@/db/schema";
import { addToSearch } from "./search";

export type LogLine = { level: "info" | "warn" | "error"; step: string; message: string; data?: Record<string, unknown> };

/** Appends a line and returns its sequence number (callers hold the execution's row lock). */
export async function appendLog(tx: Tx, execution: Pick<Execution, "id" | "workspaceId">, level: LogLine["level"], step: string, message: string, data?: Record<string, unknown>): Promise<number> {
  const [seq] = await appendLogs(tx, execution, [{ level, step, message, data }]);
  return seq!;
}

/**
 * Appends lines in one statement: their numbers continue from the last line, counted in SQL
 * (callers hold the row lock). Their messages, and any `searchable` text written beside them,
 * become findable by the history's search in the same transaction.
 */
export async function appendLogs(tx: Tx, execution: Pick<Execution, "id" | "workspaceId">, lines: LogLine[], searchable: (string | null | undefined)[] = []): Promise<number[]> {
  const last = sql`(select coalesce(max(${executionLogs.seq}), 0) from ${executionLogs} where ${executionLogs.executionId} = ${execution.id})`;
  const rows = lines.map((line, n) => ({
    executionId: execution.id, workspaceId: execution.workspaceId, seq: sql`${last} + ${sql.raw(String(n + 1))}`,
    level: line.level, step: line.step, message: line.message, data: line.data ?? null,
  }));
  const inserted = await tx.insert(executionLogs).values(rows).returning({ seq: executionLogs.seq });
  await addToSearch(tx, execution, [...lines.map((line) => line.message), ...searchable]);
  return inserted.map((row) => row.seq);
}
