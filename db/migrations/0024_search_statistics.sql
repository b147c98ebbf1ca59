-- Search plans by how many runs hold a word. PostgreSQL knows the frequency of the most common
-- words only (ten times the column's statistics target of them) and takes any other word to be
-- in half as many rows as the least common of those: with the default target (100) that was
-- 0.7 % of the rows of bench:search, so a word in 66 of a million runs was looked for by walking
-- the whole history newest first (11 s). With 1,000 the statistics know the 10,000 most common
-- words, any other is taken for 0.06 % of rows, and the GIN index answers it (27 ms p95).
-- ANALYZE then samples 300,000 rows (7 s at 3.5 million).
ALTER TABLE "execution_search" ALTER COLUMN "document" SET STATISTICS 1000;
