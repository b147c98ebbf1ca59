import { customType, index, pgTable, uuid } from "drizzle-orm/pg-core";
import { executions } from "./executions";

/** A PostgreSQL tsvector, read and written only in SQL (lib/executions/search.ts). */
const tsvector = customType<{ data: string }>({ dataType: () => "tsvector" });

/**
 * What a run can be found by in the history's search: one row per run holding the words of
 * its results, logs, items and errors (and its ID), as lexemes folded by the database
 * functions of migration 0015 (`runlog_search_terms`: lower case, accents dropped, CJK text as
 * overlapping pairs of characters), with no stemming so every language is found as written.
 * Written in the same transactions that write what it indexes; gone with its run.
 */
export const executionSearch = pgTable(
  "execution_search",
  {
    executionId: uuid("execution_id").primaryKey().references(() => executions.id, { onDelete: "cascade" }),
    workspaceId: uuid("workspace_id").notNull(),
    document: tsvector("document").notNull(),
  },
  (t) => [index("execution_search_document_idx").using("gin", t.document)],
);
