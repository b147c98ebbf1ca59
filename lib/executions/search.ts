/**
 * Full-text search over runs (the history's `q`): each run's words live in one row of
 * `execution_search`, folded by the database functions of migration 0015 so that writing and
 * asking agree in every language (lower case, accents dropped, CJK text as pairs of
 * characters). Words are added in the transactions that write what they come from, so a run
 * is found the moment its batch commits. A run has a row per write (migration 0016), so a
 * search asks whether any of them holds every word.
 */
import { sql, type SQL } from "drizzle-orm";
import { executeRows, getDb, type DbOrTx } from "@/db/client";
import { executions, type Execution } from "@/db/schema";
import { firstOfSeveralTerms, searchTermsOf } from "./search-terms";

/** Text per search row: a tsvector holds at most 1 MB of words, and one batch's text is far less. */
const maxRowText = 200_000;

/**
 * Adds `texts` to what the run can be found by (with the run's ID), in the caller's transaction:
 * one row of their terms, made here (./search-terms.ts), per 200,000 characters.
 */
export async function addToSearch(tx: DbOrTx, execution: Pick<Execution, "id" | "workspaceId">, texts: (string | null | undefined)[]): Promise<void> {
  const body = texts.filter(Boolean).join("\n");
  for (let at = 0; at < body.length; at += maxRowText) {
    const terms = searchTermsOf(`${execution.id.replace(/-/g, "")} ${execution.id} ${body.slice(at, at + maxRowText)}`);
    await tx.execute(sql`insert into execution_search (execution_id, workspace_id, document)
      values (${execution.id}::uuid, ${execution.workspaceId}::uuid, array_to_tsvector(string_to_array(${terms}, ' ')))`);
  }
}

/** Every string in a result's payload (its summary, tables' cells, generated texts), keys left out. */
export function stringsOf(value: unknown, into: string[] = []): string[] {
  if (typeof value === "string") into.push(value);
  else if (Array.isArray(value)) for (const each of value) stringsOf(each, into);
  else if (value && typeof value === "object") for (const each of Object.values(value)) stringsOf(each, into);
  return into;
}

/**
 * Runs whose words include every word asked for, each as the start of a word. Each word (as
 * split by spaces) is looked up on its own, since a run's words are spread over several rows.
 */
export function matchesSearch(asked: string): SQL {
  const words = asked.split(/\s+/).filter((word) => /[\p{L}\p{N}]/u.test(word)).slice(0, 8);
  return sql.join(
    words.map((word) => sql`exists (select 1 from execution_search s where s.execution_id = ${executions.id} and ${searchRowHolds(word)})`),
    sql` and `,
  );
}

/**
 * Whether search row `s` holds `word`. A word of several terms: the index finds its first,
 * runlog_search_holds (migrations 0025, 0027) checks them all, so the planner judges how common
 * the word is by its first term rather than by the product of every term's frequency (which
 * takes a common phrase for a rare one).
 */
export function searchRowHolds(word: string): SQL {
  const first = firstOfSeveralTerms(word);
  return first
    ? sql`s.document @@ runlog_search_query(${first}) and runlog_search_holds(s.document, runlog_search_query(${word})) <> 0`
    : sql`s.document @@ runlog_search_query(${word})`;
}

export type Snippet = { before: string; match: string; after: string; source: string };

const snippetRadius = 60;

/**
 * Where the search's longest word shows in each listed run (already visible to the person):
 * the first of its error, recommendations, action items, results, items and log that holds it,
 * cut to a few words either side. A run found only by its ID, or by words split differently
 * than typed, has none.
 */
export async function searchSnippets(ids: string[], asked: string): Promise<Map<string, Snippet>> {
  const word = longestWord(asked);
  if (!word || ids.length === 0) return new Map();
  const db = await getDb();
  const pattern = sql`'%' || runlog_search_fold(${word}) || '%'`;
  const has = (column: SQL) => sql`runlog_search_fold(${column}) like ${pattern}`;
  const rows = await executeRows<{ id: string; source: string | null; text: string | null }>(db, sql`
    select run.id, found.source, found.text from unnest(string_to_array(${ids.join(",")}, ',')::uuid[]) as run(id)
    cross join lateral (
      select 'Error' as source, e.error_message as text from executions e where e.id = run.id and ${has(sql`e.error_message`)}
      union all (select 'Recommendation', concat_ws(' — ', r.item_label, r.after_value, r.rationale) from recommendations r
        where r.execution_id = run.id and ${has(sql`concat_ws(' — ', r.item_label, r.after_value, r.rationale)`)} limit 1)
      union all (select 'Action item', concat_ws(' — ', a.title, a.detail) from action_items a
        where a.execution_id = run.id and ${has(sql`concat_ws(' — ', a.title, a.detail)`)} limit 1)
      union all (select 'Result', v #>> '{}' from execution_results x cross join lateral jsonb_path_query(x.payload, 'strict $.**') as v
        where x.execution_id = run.id and jsonb_typeof(v) = 'string' and ${has(sql`v #>> '{}'`)} limit 1)
      union all (select 'Item', concat_ws(' — ', i.item_label, i.reason) from execution_items i
        where i.execution_id = run.id and ${has(sql`concat_ws(' — ', i.item_label, i.reason)`)} limit 1)
      union all (select 'Log', l.message from execution_logs l where l.execution_id = run.id and ${has(sql`l.message`)} limit 1)
      limit 1
    ) found`);
  const snippets = new Map<string, Snippet>();
  for (const row of rows) if (row.text && row.source) {
    const cut = cutAround(row.text, word);
    if (cut) snippets.set(row.id, { ...cut, source: row.source });
  }
  return snippets;
}

/** The longest run of letters and digits asked for: the one least likely to be everywhere. */
function longestWord(asked: string): string | null {
  const words = asked.match(/[\p{L}\p{N}]+/gu) ?? [];
  return words.sort((a, b) => b.length - a.length)[0] ?? null;
}

/** Lower case without accents, one character for one, so positions in it are positions in the text. */
function foldEach(text: string): string[] {
  return Array.from(text, (char) => Array.from(char.normalize("NFD").replace(/\p{M}/gu, "").toLowerCase())[0] ?? char);
}

function cutAround(text: string, word: string): Omit<Snippet, "source"> | null {
  const chars = Array.from(text);
  const folded = foldEach(text).join("");
  const wanted = foldEach(word).join("");
  const at = folded.indexOf(wanted);
  if (at < 0) return null;
  const start = Array.from(folded.slice(0, at)).length;
  const end = start + Array.from(wanted).length;
  const from = Math.max(0, start - snippetRadius);
  const to = Math.min(chars.length, end + snippetRadius);
  return {
    before: `${from > 0 ? "…" : ""}${chars.slice(from, start).join("")}`,
    match: chars.slice(start, end).join(""),
    after: `${chars.slice(end, to).join("")}${to < chars.length ? "…" : ""}`,
  };
}

/**
 * Builds the search documents of runs written all at once rather than by the engine (the seed,
 * test fixtures): everything `runlog_search_text_of` reads of each run matching `where`.
 */
export async function indexRunsForSearch(tx: DbOrTx, where: SQL): Promise<void> {
  await tx.execute(sql`delete from execution_search where execution_id in (select e.id from ${executions} e where ${where})`);
  await tx.execute(sql`
    insert into execution_search (execution_id, workspace_id, document)
    select e.id, e.workspace_id, array_to_tsvector(runlog_search_terms(replace(e.id::text, '-', '') || ' ' || e.id::text || ' ' || runlog_search_text_of(e.id)))
    from ${executions} e where ${where}`);
}
