/**
 * The search rows that `bench/search.ts` measures, on top of bench/list-seed.ts's 1.9 million
 * runs: about 2 KB of results and log text per run, from a vocabulary of product, SEO and
 * analytics words whose use falls off like Zipf's law (a few words in most runs, a long tail
 * of product names in a handful), with accented words ("café", "größe") and Chinese and
 * Japanese text ("夏季新品"). Stored as the app stores them: a row per write, each with the
 * run's ID and the terms `runlog_search_terms` makes of the text.
 *
 * Tokenizing 4 GB of text inside PostgreSQL would take most of an hour, so the texts are two
 * pools of 16,384 (about 1.5 KB and 0.5 KB), tokenized once by `runlog_search_terms`; each run
 * takes one text of the first pool (its first row, as a first batch writes) and, when it ran
 * more than one batch, one of the second (its second row), picked by a hash of its ID, so
 * words meet in 268 million combinations. A run's row is the pool text's terms plus its ID's;
 * `checkSample` shows that equals `runlog_search_terms` of the whole text for sampled rows.
 */
import type postgres from "postgres";
import { SeededRandom } from "@/db/seed/random";

const poolSize = 16_384;
const firstRowChars = 1_500;
const laterRowChars = 500;

/** The bulk delete's word: planted in a third row of `bulkRuns` runs of the big workspace. */
export const bulkWord = "legacyimport";
export const bulkRuns = 100_000;

// Most common first: the words every run's log and results use.
const commonWords = `the of and to a in for is on with page product title meta description seo score
  items processed image alt text missing length characters recommendation high medium low priority
  conversion rate session sessions traffic organic search keyword keywords store collection
  performance mobile desktop load time largest contentful paint layout shift heavy images
  analytics review revenue orders average order value bounce checkout cart add added
  batch started finished completed failed skipped retry timeout connection rate limited
  category jackets shoes accessories sale summer winter new arrivals bestseller discount shipping
  free returns size color material cotton leather wool waterproof lightweight breathable
  canonical url redirect broken link links heading h1 h2 duplicate thin content schema markup
  structured data sitemap robots index noindex crawl crawled crawlable internal external
  visitors pageviews funnel step drop campaign email social paid direct referral channel
  week month previous period compared increase decrease trend stable improved declined
  generated written tone friendly professional copy benefits features customers buy
  optimize optimized optimization optimizing compress compressed resize lazy loading font
  script scripts render blocking cache caching cdn server response ttfb javascript css`
  .split(/\s+/)
  .filter(Boolean);

const accentedWords = `café größe crème brûlée naïve jalapeño décor señor façade über résumé straße
  ação niño déjà vu piñata fiancée entrée soufflé açaí müsli smörgåsbord pâtisserie garçon
  mañana français español übergröße grün weiß schön bläulich été hôtel forêt château`
  .split(/\s+/)
  .filter(Boolean);

const cjkWords = `夏季新品 限时折扣 免费送货 新品上市 商品描述 热销推荐 冬季外套 真皮鞋子 送料無料 セール
  新着商品 人気ランキング 在庫あり 할인 무료배송 신상품`
  .split(/\s+/)
  .filter(Boolean);

const syllables = "ka ve lo mi ra sto bri qu en tal or fen dru gal hex pim sor nu vy tar bel cor dan fi gor ish jun kel mar nox pel rud sil tem ul vin wex yar zol".split(" ");

/**
 * The vocabulary, most common first: the everyday words, then numbers, accented words, CJK
 * text and more everyday words mixed, then 40,000 made-up product and brand names.
 */
function vocabulary(rng: SeededRandom): string[] {
  const middle = [...Array.from({ length: 1000 }, (_, n) => String(n)), ...accentedWords, ...accentedWords.map((word) => word.toUpperCase()), ...cjkWords];
  for (let n = middle.length - 1; n > 0; n--) {
    const k = rng.int(0, n);
    [middle[n], middle[k]] = [middle[k]!, middle[n]!];
  }
  const names = new Set<string>();
  while (names.size < 40_000) names.add(Array.from({ length: rng.int(2, 4) }, () => rng.pick(syllables)).join(""));
  return [...new Set([...commonWords, ...middle, ...names])];
}

/** A sampler of ranks 0…n-1 with probability ∝ 1/(rank+1)^s. */
function zipf(rng: SeededRandom, n: number, s: number): () => number {
  const cumulative = new Float64Array(n);
  let total = 0;
  for (let rank = 0; rank < n; rank++) cumulative[rank] = total += 1 / Math.pow(rank + 1, s);
  return () => {
    const target = rng.next() * total;
    let lo = 0;
    let hi = n - 1;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (cumulative[mid]! < target) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  };
}

export type SearchPools = { texts: { pool: "a" | "b"; n: number; body: string }[]; usedIn: Map<string, { a: number; b: number }> };

/** The two pools of texts, and how many texts of each pool use each word. */
export function searchPools(seed = 18): SearchPools {
  const rng = new SeededRandom(seed);
  const words = vocabulary(rng);
  const draw = zipf(rng, words.length, 1.05);
  const usedIn = new Map<string, { a: number; b: number }>();
  const texts: SearchPools["texts"] = [];
  for (const [pool, chars] of [["a", firstRowChars], ["b", laterRowChars]] as const) {
    for (let n = 0; n < poolSize; n++) {
      let body = "";
      const seen = new Set<string>();
      while (body.length < chars) {
        const sentence = Array.from({ length: rng.int(6, 14) }, () => words[draw()]!);
        for (const word of sentence) seen.add(word);
        body += `${sentence.join(" ")}${rng.pick([". ", ", ", ": ", " — ", "; "])}`;
      }
      texts.push({ pool, n, body });
      for (const word of seen) {
        const counts = usedIn.get(word) ?? { a: 0, b: 0 };
        counts[pool]++;
        usedIn.set(word, counts);
      }
    }
  }
  return { texts, usedIn };
}

/** A made-up name in exactly one text of the second pool: a word only a few dozen runs hold. */
export function rareWord(pools: SearchPools): string {
  const rare = [...pools.usedIn].filter(([word, counts]) => counts.a === 0 && counts.b === 1 && /^[a-z]{7,}$/.test(word)).map(([word]) => word).sort();
  if (!rare.length) throw new Error("No word is in only one text.");
  return rare[0]!;
}

/** A run's ID terms, as `runlog_search_terms` makes them of `<hex> <uuid>`: the 32 digits and the five groups. */
const idTerms = (column: string) =>
  `array[replace(${column}::text, '-', ''), split_part(${column}::text, '-', 1), split_part(${column}::text, '-', 2), split_part(${column}::text, '-', 3), split_part(${column}::text, '-', 4), split_part(${column}::text, '-', 5)]`;
/** Which text of a pool a run takes. */
const textOf = (column: string, pool: "a" | "b") => `(hashtext(${column}::text || '${pool}') & ${poolSize - 1})`;

export type SeedTimings = Record<string, number>;

/**
 * Seeds the search rows of every run, the bulk delete's word and its runs' items,
 * recommendations and log, on a database seeded by seedListHistory (`sql`: one connection).
 */
export async function seedSearchRows(sql: postgres.Sql, pools: SearchPools, bigWorkspaceId: string): Promise<SeedTimings> {
  const timings: SeedTimings = {};
  const timed = async (name: string, run: () => Promise<unknown>) => {
    const started = performance.now();
    await run();
    timings[name] = (performance.now() - started) / 1000;
  };
  await sql.unsafe(`set work_mem = '256MB'`);
  await sql.unsafe(`set maintenance_work_mem = '1GB'`);
  await sql.unsafe(`set synchronous_commit = off`);
  await timed("pool texts, tokenized by runlog_search_terms", async () => {
    await sql.unsafe(`create table bench_search_texts (pool text, n int, body text, terms text[], primary key (pool, n))`);
    for (let at = 0; at < pools.texts.length; at += 2048) {
      await sql.unsafe(`insert into bench_search_texts (pool, n, body, terms)
        select pool, n, body, runlog_search_terms(body) from jsonb_to_recordset($1::jsonb) as t(pool text, n int, body text)`, [sql.json(pools.texts.slice(at, at + 2048))]);
    }
    await sql.unsafe(`analyze bench_search_texts`);
  });

  // Loaded first, indexed after (as bench/list-seed.ts does for executions).
  const indexes = await sql.unsafe<{ name: string; definition: string }[]>(`
    select i.indexname as name, i.indexdef as definition from pg_indexes i
    where i.schemaname = current_schema() and i.tablename = 'execution_search'
      and not exists (select 1 from pg_constraint c where c.conname = i.indexname)`);
  for (const { name } of indexes) await sql.unsafe(`drop index "${name}"`);

  await timed("first rows (ID + ~1.5 KB, every run)", () => sql.unsafe(`
    insert into execution_search (execution_id, workspace_id, document)
    select e.id, e.workspace_id, array_to_tsvector(${idTerms("e.id")} || t.terms)
    from executions e join bench_search_texts t on t.pool = 'a' and t.n = ${textOf("e.id", "a")}
    order by e.created_at`));
  await timed("second rows (ID + ~0.5 KB, runs of 2+ batches)", () => sql.unsafe(`
    insert into execution_search (execution_id, workspace_id, document)
    select e.id, e.workspace_id, array_to_tsvector(${idTerms("e.id")} || t.terms)
    from executions e join bench_search_texts t on t.pool = 'b' and t.n = ${textOf("e.id", "b")}
    where e.batches_done >= 2
    order by e.created_at`));

  await timed(`the bulk delete's ${bulkRuns.toLocaleString("en")} runs: a row with "${bulkWord}", 10 items, 4 recommendations, 12 log lines each`, async () => {
    await sql.unsafe(`create table bench_bulk_runs as
      select id, workspace_id from executions where workspace_id = $1 and status not in ('queued', 'running') order by md5(id::text) limit ${bulkRuns}`, [bigWorkspaceId]);
    await sql.unsafe(`insert into execution_search (execution_id, workspace_id, document)
      select id, workspace_id, array_to_tsvector(${idTerms("id")} || array['${bulkWord}', 'imported', 'from', 'the', 'old', 'store']) from bench_bulk_runs`);
    await sql.unsafe(`insert into execution_items (execution_id, workspace_id, item_type, item_ref, item_label, outcome, reason, score)
      select r.id, r.workspace_id, 'page', 'page-' || k, 'Legacy page ' || k, case when k = 10 then 'failed' else 'processed' end::item_outcome,
        case when k = 10 then 'The page answered 404.' end, 40 + k * 5
      from bench_bulk_runs r cross join generate_series(1, 10) k`);
    await sql.unsafe(`insert into recommendations (execution_id, workspace_id, item_type, item_ref, item_label, field, before_value, after_value, priority, rationale)
      select r.id, r.workspace_id, 'page', 'page-' || k, 'Legacy page ' || k, 'metaTitle', 'Legacy page', 'Legacy page ' || k || ' — winter jackets on sale',
        (array['high', 'medium', 'low'])[1 + k % 3]::priority, 'The title is shorter than 30 characters.'
      from bench_bulk_runs r cross join generate_series(1, 4) k`);
    await sql.unsafe(`insert into execution_logs (execution_id, workspace_id, seq, step, message)
      select r.id, r.workspace_id, k, 'analyze', 'Processed page-' || k || ' of the legacy import'
      from bench_bulk_runs r cross join generate_series(1, 12) k`);
  });

  await timed("indexes rebuilt (GIN with maintenance_work_mem 1 GB)", async () => {
    for (const { definition } of indexes) await sql.unsafe(definition);
  });
  await timed("vacuum analyze", () => sql.unsafe(`vacuum (analyze) execution_search, execution_items, recommendations, execution_logs`));
  return timings;
}

/** The pool texts again (deterministic), for checking a kept database seeded before they were kept. */
export async function restorePoolTexts(sql: postgres.Sql, pools: SearchPools): Promise<void> {
  const [found] = await sql<{ exists: boolean }[]>`select to_regclass('bench_search_texts') is not null as exists`;
  if (found!.exists) return;
  await sql.unsafe(`create table bench_search_texts (pool text, n int, body text, terms text[], primary key (pool, n))`);
  for (let at = 0; at < pools.texts.length; at += 2048) {
    await sql.unsafe(`insert into bench_search_texts (pool, n, body) select pool, n, body from jsonb_to_recordset($1::jsonb) as t(pool text, n int, body text)`, [sql.json(pools.texts.slice(at, at + 2048))]);
  }
}

/**
 * How many of `size` sampled first rows equal what the app's own rule makes of the run's whole
 * text: `runlog_search_terms` of "<hex ID> <ID> <text>", as `runlog_search_add` and
 * `indexRunsForSearch` write it.
 */
export async function checkSample(sql: postgres.Sql, size = 200): Promise<{ equal: number; size: number }> {
  const [row] = await sql.unsafe<{ equal: number; size: number }[]>(`
    select count(*) filter (where s.document = array_to_tsvector(runlog_search_terms(replace(e.id::text, '-', '') || ' ' || e.id::text || ' ' || t.body)))::int as equal, count(*)::int as size
    from (select * from executions tablesample system (0.1) repeatable (18) limit ${size}) e
    join bench_search_texts t on t.pool = 'a' and t.n = ${textOf("e.id", "a")}
    join lateral (select document from execution_search s where s.execution_id = e.id order by s.id limit 1) s on true`);
  return row!;
}
