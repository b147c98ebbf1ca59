ALTER TABLE "report_file_chunks" ALTER COLUMN "content" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "report_file_chunks" ADD COLUMN "text_content" text;--> statement-breakpoint
ALTER TABLE "report_file_chunks" ADD CONSTRAINT "report_file_chunks_one_content" CHECK (num_nonnulls("report_file_chunks"."content", "report_file_chunks"."text_content") = 1);--> statement-breakpoint
DO $$
BEGIN
  ALTER TABLE "report_file_chunks" ALTER COLUMN "text_content" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  ALTER TABLE "report_file_chunks" ALTER COLUMN "text_content" SET STORAGE EXTERNAL;
END $$;--> statement-breakpoint
-- A batch of rows the database wrote as text (a CSV or JSON download's), stored as a chunk of
-- its report file and given back to send on: built, stored and returned in one statement,
-- never converted to bytes or copied for a second use (an empty batch stores nothing).
CREATE OR REPLACE FUNCTION runlog_store_text_chunk(for_file uuid, at_seq integer, rows_text text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF rows_text IS NOT NULL THEN
    INSERT INTO report_file_chunks (file_id, seq, text_content) VALUES (for_file, at_seq, rows_text);
  END IF;
  RETURN rows_text;
END $$;
