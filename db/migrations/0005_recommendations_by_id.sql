CREATE INDEX "recommendations_execution_id_idx" ON "recommendations" USING btree ("execution_id","id");--> statement-breakpoint
-- Report chunks are stored as sent, without pglz: compressing 30–50 MB per download cost the
-- database more CPU than the rest of writing the file, and the files expire after 30 days.
ALTER TABLE "report_file_chunks" ALTER COLUMN "content" SET STORAGE EXTERNAL;
