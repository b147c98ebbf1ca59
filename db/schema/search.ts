import { bigserial, customType, index, pgTable, uuid } from "drizzle-orm/pg-core";
import { executions } from "./executions";

/** A PostgreSQL tsvector, read and written only in SQL (lib/executions/search.ts). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * What a run can be found by in the history's search: the words of its results, logs, items
 * and errors (and its ID), as lexemes folded by the database functions of migration 0015
 * (`runlog_search_terms`: lower case, accents dropped, CJK text as overlapping pairs of
 * characters), with no stemming so every language is found as written. Each transaction that
 * writes a run's text adds one row of its words (migration 0016): rows are only ever inserted,
 * so the GIN index takes each word once rather than the whole document again at every batch.
 * Gone with its run, and while the run is archived (a restore rebuilds them).
 */
export const executionSearch = pgTable(
  "execution_search",
  {
    id: bigserial("id", { mode: "number" }).primaryKey(),
    executionId: uuid("execution_id").notNull().references(() => executions.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    document: tsvector("document").notNull(),
  },
  (t) => [index("execution_search_document_idx").using("gin", t.document), index("execution_search_execution_idx").on(t.executionId)],
);
