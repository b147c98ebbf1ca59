-- A download whose connection was cut may send the same batch again (lib/exports/row-text.ts):
-- a chunk already stored under its number is kept, and the batch's text given back as before.
CREATE OR REPLACE FUNCTION runlog_store_text_chunk(for_file uuid, at_seq integer, rows_text text) RETURNS text LANGUAGE plpgsql AS $$
BEGIN
  IF rows_text IS NOT NULL THEN
    INSERT INTO report_file_chunks (file_id, seq, text_content) VALUES (for_file, at_seq, rows_text) ON CONFLICT (file_id, seq) DO NOTHING;
  END IF;
  RETURN rows_text;
END $$;
