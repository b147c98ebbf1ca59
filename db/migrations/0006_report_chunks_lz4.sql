-- Report chunks are compressed with lz4 where the server has it: a download's 30–50 MB then
-- costs the database a fraction of the WAL and disk it took stored as sent, for less CPU than
-- writing it uncompressed (pglz, the fallback in PostgreSQL, cost more than it saved). Without
-- lz4 (PGlite) they stay stored as sent.
DO $$
BEGIN
  ALTER TABLE "report_file_chunks" ALTER COLUMN "content" SET STORAGE EXTENDED;
  ALTER TABLE "report_file_chunks" ALTER COLUMN "content" SET COMPRESSION lz4;
EXCEPTION WHEN feature_not_supported THEN
  ALTER TABLE "report_file_chunks" ALTER COLUMN "content" SET STORAGE EXTERNAL;
END $$;
