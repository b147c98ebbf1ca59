/**
 * An execution's tables read in keyset batches as typed rows (for the PDF report and the
 * small tables; the large ones reach CSV and JSON as text, lib/exports/row-text.ts). Each
 * batch is one short query that starts after the last row of the one before, so memory holds
 * a batch or two and the same code works on PostgreSQL and on PGlite's single connection (no server
 * cursor, no long transaction). While a batch is being written out, the next one is already
 * being read. Times come back as ISO 8601 text made by the database, which is what every
 * export writes, so no row pays for a Date on the way.
 */
import { and, asc, eq, sql, type AnyColumn, type SQL } from "drizzle-orm";
import { getDb } from "@/db/client";
import { bridgingConnectionCuts } from "./report-files";
import { actionItems, executionLogs, recommendations, users, type Priority } from "@/db/schema";
import { fullDisclosure, logDataFor, logMessageFor, teammate, type Disclosure } from "@/lib/executions/disclosure";

const exportBatchSize = 5000;

/** `2026-03-31T09:15:00.000Z`, or null. */
function isoText(column: AnyColumn): SQL<string> {
  return sql<string>`to_char(${column} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
}

const recommendationColumns = {
  id: recommendations.id, origin: recommendations.origin, itemType: recommendations.itemType, itemRef: recommendations.itemRef, itemLabel: recommendations.itemLabel,
  field: recommendations.field, beforeValue: recommendations.beforeValue, afterValue: recommendations.afterValue, editedValue: recommendations.editedValue,
  priority: recommendations.priority, status: recommendations.status, rationale: recommendations.rationale, applyError: recommendations.applyError,
  decidedAt: isoText(recommendations.decidedAt) as SQL<string | null>, appliedAt: isoText(recommendations.appliedAt) as SQL<string | null>,
  revertedAt: isoText(recommendations.revertedAt) as SQL<string | null>, createdAt: isoText(recommendations.createdAt),
};
/** Log lines as this viewer may read them (lib/executions/disclosure.ts). */
export function logColumnsFor(disclosure: Disclosure) {
  return {
    seq: executionLogs.seq, at: isoText(executionLogs.at), level: executionLogs.level, step: executionLogs.step,
    message: logMessageFor(disclosure, executionLogs.message).mapWith(executionLogs.message),
    data: logDataFor(disclosure, executionLogs.data).mapWith(executionLogs.data),
  };
}
const actionItemColumns = {
  id: actionItems.id, position: actionItems.position, priority: actionItems.priority, title: actionItems.title, detail: actionItems.detail,
  isDone: actionItems.isDone, doneAt: isoText(actionItems.doneAt) as SQL<string | null>,
  /** Left-joined: null when nobody ticked it off, or they have left. */
  doneByName: sql<string | null>`${users.name}`,
};

function actionItemColumnsFor(disclosure: Disclosure) {
  return disclosure.showsNames ? actionItemColumns : { ...actionItemColumns, doneByName: sql<string | null>`case when ${users.name} is not null then ${teammate} end` };
}

type Selected<T> = { [K in keyof T]: T[K] extends SQL<infer V> ? V : T[K] extends AnyColumn ? (T[K]["_"]["notNull"] extends true ? T[K]["_"]["data"] : T[K]["_"]["data"] | null) : never };
export type ExportRecommendation = Selected<typeof recommendationColumns>;
export type ExportLogLine = Selected<ReturnType<typeof logColumnsFor>>;
export type ExportActionItem = Selected<typeof actionItemColumns>;

/**
 * Batches from `read(after, size)` until one comes back short, each read started while the
 * caller still writes the batch before (and tried again after a connection cut); `limit` stops early.
 */
async function* keysetBatches<Row, Key>(read: (after: Key | null, size: number) => Promise<Row[]>, keyOf: (row: Row) => Key, options: { limit?: number; batchSize?: number }): AsyncGenerator<Row[]> {
  const batchSize = options.batchSize ?? exportBatchSize;
  let left = options.limit ?? Number.POSITIVE_INFINITY;
  let size = Math.min(batchSize, left);
  const readBridged = (after: Key | null, count: number) => bridgingConnectionCuts(() => read(after, count));
  let pending: Promise<Row[]> | null = size > 0 ? readBridged(null, size) : null;
  while (pending) {
    const batch = await pending;
    left -= batch.length;
    const isLast = batch.length < size || left <= 0;
    size = Math.min(batchSize, left);
    pending = isLast ? null : readBridged(keyOf(batch.at(-1)!), size);
    if (batch.length) yield batch;
  }
}

/**
 * Recommendations in the order the run's page lists them by default: high priority first, then
 * by item, then id (lib/results/recommendations.ts), walked through the
 * (execution_id, priority, item_label, id) index; optionally of one priority only.
 */
export async function* recommendationBatches(executionId: string, options: { priority?: Priority; limit?: number; batchSize?: number } = {}): AsyncGenerator<ExportRecommendation[]> {
  const db = await getDb();
  yield* keysetBatches(
    (after: Pick<ExportRecommendation, "priority" | "itemLabel" | "id"> | null, size) =>
      db
        .select(recommendationColumns)
        .from(recommendations)
        .where(and(
          eq(recommendations.executionId, executionId),
          options.priority ? eq(recommendations.priority, options.priority) : undefined,
          after ? sql`(${recommendations.priority}, ${recommendations.itemLabel}, ${recommendations.id}) > (${after.priority}::priority, ${after.itemLabel}, ${after.id}::uuid)` : undefined,
        ))
        .orderBy(asc(recommendations.priority), asc(recommendations.itemLabel), asc(recommendations.id))
        .limit(size),
    (row) => ({ priority: row.priority, itemLabel: row.itemLabel, id: row.id }),
    options,
  );
}

/**
 * Action items as the run's page lists them: high priority first, then in the agent's order (a
 * run has tens of them, at most a few thousand), with who ticked them off.
 */
export async function* actionItemBatches(executionId: string, options: { batchSize?: number; disclosure?: Disclosure } = {}): AsyncGenerator<ExportActionItem[]> {
  const db = await getDb();
  const columns = actionItemColumnsFor(options.disclosure ?? fullDisclosure);
  yield* keysetBatches(
    (after: Pick<ExportActionItem, "priority" | "position" | "id"> | null, size) =>
      db
        .select(columns)
        .from(actionItems)
        .leftJoin(users, eq(users.id, actionItems.doneBy))
        .where(and(eq(actionItems.executionId, executionId), after ? sql`(${actionItems.priority}, ${actionItems.position}, ${actionItems.id}) > (${after.priority}::priority, ${after.position}, ${after.id}::uuid)` : undefined))
        .orderBy(asc(actionItems.priority), asc(actionItems.position), asc(actionItems.id))
        .limit(size),
    (row) => ({ priority: row.priority, position: row.position, id: row.id }),
    options,
  );
}
