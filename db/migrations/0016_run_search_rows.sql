ALTER TABLE "execution_search" DROP CONSTRAINT "execution_search_pkey";--> statement-breakpoint
ALTER TABLE "execution_search" ADD COLUMN "id" bigserial PRIMARY KEY NOT NULL;--> statement-breakpoint
CREATE INDEX "execution_search_execution_idx" ON "execution_search" USING btree ("execution_id");--> statement-breakpoint
-- Each call adds a row of the words of `body` (the first row of a run also holds its ID), in the
-- caller's transaction. Rows are only inserted: updating one document per run made the GIN
-- index take the run's whole vocabulary again at every batch.
CREATE OR REPLACE FUNCTION runlog_search_add(run uuid, workspace uuid, body text) RETURNS void LANGUAGE sql AS $$
  INSERT INTO execution_search (execution_id, workspace_id, document)
  SELECT run, workspace, array_to_tsvector(runlog_search_terms(
    CASE WHEN EXISTS (SELECT 1 FROM execution_search s WHERE s.execution_id = run) THEN body
    ELSE replace(run::text, '-', '') || ' ' || run::text || ' ' || body END))
$$;
