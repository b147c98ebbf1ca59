-- A search word of several terms (CJK pairs, "sku-4821") is found by its first term in the index
-- and checked for all of them by a function the planner cannot see into (migration 0025). As a
-- boolean, that check was estimated to keep a third of the rows, so a phrase in 6 % of runs looked
-- like one in 2 %: a member's filtered search expected fewer than a page of matches, read every one
-- of the person's runs in range and sorted them (190 ms at a million runs) rather than walking the
-- newest until the page was full (19 ms). Asked as `runlog_search_holds(…) <> 0` it is estimated
-- to keep nearly every row, so the planner judges the word by its first term alone.
CREATE FUNCTION runlog_search_holds(document tsvector, asked tsquery) RETURNS integer LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
BEGIN
  RETURN CASE WHEN document @@ asked THEN 1 ELSE 0 END;
END
$$;
-- runlog_search_matches stays until every instance runs code that asks runlog_search_holds: an
-- instance still on the old code, beside one already migrated, must not fail its searches.
