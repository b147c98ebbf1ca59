import fs from "node:fs";
import path from "node:path";
import { eq, sql } from "drizzle-orm";
import fc from "fast-check";
import { beforeAll, describe, expect, it } from "vitest";
import { executeRows, getDb } from "@/db/client";
import { executionLogs, executionResults, executions, recommendations, shares } from "@/db/schema";
import { seededPeople } from "@/db/testing/contexts";
import { createFinishedExecution, readAll } from "@/db/testing/finished-execution";
import { startSeoAudit } from "@/db/testing/runs";
import { runExecutionInProcess } from "@/inngest/embedded";
import type { Ctx } from "@/lib/auth/context";
import { exportHistoryCsv } from "./history-csv";
import { listExecutions } from "./list";
import { emptyFilter, parseListRequest, type ListFilter } from "./list-filter";
import { indexRunsForSearch, searchRowHolds, searchSnippets, stringsOf } from "./search";
import { searchTermsOf } from "./search-terms";

let admin: Ctx;
let maya: Ctx;
let sam: Ctx;
let globexAdmin: Ctx;

beforeAll(async () => ({ admin, maya, sam, globexAdmin } = await seededPeople()));

async function found(ctx: Ctx, q: string, filter: Partial<ListFilter> = {}): Promise<string[]> {
  const page = await listExecutions(ctx, { filter: { ...emptyFilter, ...filter, q }, page: { after: null, before: null }, limit: 100 });
  return page.rows.map((row) => row.id);
}

describe("search over run contents", () => {
  it("finds a run by a word from each kind of result, and shows where it matched", async () => {
    const run = await createFinishedExecution(admin, {
      recommendations: [{ itemLabel: "Walnut bookshelf", before: "Shelf", after: "Handcrafted walnut bookshelf", rationale: "Titles should name the zirconwood material" }],
      items: [{ itemRef: "page:9", itemLabel: "Quokkaberry landing page", outcome: "failed", reason: "Page returned 404" }],
      logs: [{ step: "batch 1/1", message: "Processed 12 items after a xylophant retry" }],
      actionItems: [{ title: "Compress hero images", detail: "The marzipanel banner weighs 4 MB" }],
      results: [
        { kind: "report", title: "Summary", payload: { summary: "Conversion dipped after the glimmerstone launch", tables: [] } },
        { kind: "generated_content", title: "Descriptions", payload: { texts: [{ itemLabel: "Lamp", text: "A warm brassolux lamp for reading" }] } },
      ],
    });
    const failedRun = await createFinishedExecution(admin, { status: "failed" });
    const db = await getDb();
    await db.update(executions).set({ errorMessage: "The store refused the frobnicated token" }).where(eq(executions.id, failedRun.id));
    await indexRunsForSearch(db, sql`e.id = ${failedRun.id}`);

    for (const word of ["zirconwood", "Handcrafted", "Quokkaberry", "xylophant", "marzipanel", "glimmerstone", "brassolux"]) {
      expect(await found(admin, word), word).toEqual([run.id]);
    }
    expect(await found(admin, "frobnicated")).toEqual([failedRun.id]);
    const snippets = await searchSnippets([run.id, failedRun.id], "glimmerstone");
    expect(snippets.get(run.id)).toMatchObject({ match: "glimmerstone", source: "Result" });
    expect((await searchSnippets([failedRun.id], "frobnicated")).get(failedRun.id)).toMatchObject({ before: "The store refused the ", match: "frobnicated", source: "Error" });
  });

  it("finds accented and CJK words however they are typed, partial words, and every word asked", async () => {
    const french = await createFinishedExecution(admin, { logs: [{ step: "finish", message: "Résumé: la crème brûlée du Café Zéphyrin est prête" }] });
    const japanese = await createFinishedExecution(admin, { logs: [{ step: "finish", message: "東京タワーの商品説明を書き直しました" }] });
    const chinese = await createFinishedExecution(admin, { recommendations: [{ itemLabel: "茶壶", before: null, after: "手工制作的紫砂茶壶", rationale: "描述太短" }] });
    expect(await found(admin, "zephyrin")).toEqual([french.id]);
    expect(await found(admin, "ZÉPHYRIN")).toEqual([french.id]);
    expect(await found(admin, "brulee zephyrin")).toEqual([french.id]);
    expect(await found(admin, "zéphyrin missingword")).toEqual([]);
    expect(await found(admin, "Zéph")).toEqual([french.id]);
    expect(await found(admin, "タワー")).toEqual([japanese.id]);
    expect(await found(admin, "商品説明")).toEqual([japanese.id]);
    expect(await found(admin, "紫砂")).toEqual([chinese.id]);
    // A word of several terms is looked up by its first and checked for all of them.
    expect(await found(admin, "紫砂茶壶")).toEqual([chinese.id]);
    expect(await found(admin, "茶壶说明")).toEqual([]);
    expect(await found(admin, "商品描述")).toEqual([]);
    expect(await found(admin, "crème-brûlée")).toEqual([french.id]);
    expect(await found(admin, "creme-zzz")).toEqual([]);
    expect((await searchSnippets([japanese.id], "タワー")).get(japanese.id)).toMatchObject({ before: "東京", match: "タワー" });
    expect((await searchSnippets([french.id], "zephyrin")).get(french.id)).toMatchObject({ match: "Zéphyrin" });
  });

  it("lets the planner judge a word of several terms by its first term, so a common phrase is not taken for a rare one", async () => {
    // Half of 4,000 rows hold 夏季新品 (asked as its pairs 夏季, 季新, 新品). Taken for rare, a member's
    // filtered search read every run in range and sorted them rather than walking the newest.
    const db = await getDb();
    const estimate = await db.transaction(async (tx) => {
      await tx.execute(sql`create temp table s (document tsvector) on commit drop`);
      await tx.execute(sql`insert into s select array_to_tsvector(runlog_search_terms(case when n % 2 = 0 then '夏季新品 ' || n else 'other words ' || n end)) from generate_series(1, 4000) n`);
      await tx.execute(sql`analyze s`);
      const [row] = await executeRows<{ "QUERY PLAN": unknown }>(tx, sql`explain (format json) select * from s where ${searchRowHolds("夏季新品")}`);
      const plan = typeof row!["QUERY PLAN"] === "string" ? JSON.parse(row!["QUERY PLAN"]) : row!["QUERY PLAN"];
      return (plan as [{ Plan: { "Plan Rows": number } }])[0].Plan["Plan Rows"];
    });
    // About 670 if the check kept a third of the rows, about 250 by the product of the pairs' frequencies.
    expect(estimate).toBeGreaterThan(1600);
    expect(estimate).toBeLessThanOrEqual(2400);
  });

  it("makes the same terms in the engine (JavaScript) as in the database, so both kinds of rows are found alike", async () => {
    const db = await getDb();
    for (const text of ["Héllo WORLD! Привет ÉTÉ l'été 東京タワーは高い 3f2a9c1b-4e naïve_test 서울특별시 İstanbul ŁÓDŹ Ωμέγα «quoted» 12.5% a—b", "手工制作的紫砂茶壶 描述太短"]) {
      const rows = await db.execute(sql`select array_to_string(runlog_search_terms(${text}), ' ') as terms`);
      const [row] = (Array.isArray(rows) ? rows : (rows as { rows: { terms: string }[] }).rows) as { terms: string }[];
      expect(searchTermsOf(text).split(" ").sort()).toEqual(row!.terms.split(" ").sort());
    }
  });

  it("folds and makes terms, since migration 0028, as 0015's functions and the engine do, on random text of every script", async () => {
    const db = await getDb();
    // 0015's functions, as they were, beside the current ones (this test file has a database of
    // its own): 0028 kept the old fold as runlog_search_translate.
    const migration = fs.readFileSync(path.join(process.cwd(), "db", "migrations", "0015_run_search.sql"), "utf8");
    const created = /CREATE FUNCTION runlog_search_terms\(body text\)[\s\S]*?\$\$;/.exec(migration)![0];
    await db.execute(sql.raw(created.replace("CREATE FUNCTION runlog_search_terms(", "CREATE OR REPLACE FUNCTION runlog_search_terms_0015(").replace("runlog_search_fold(", "runlog_search_translate(")));
    const chars = fc.constantFrom(..."aZ09 _-.,'!?«»—…·×÷ÀÉÎõüÿĀłŒŽƏǅǲȘΆΩάϊЁЖйџḀẞỳ東京タワー서울İıßΩK\u00a0\u2003\u3000");
    const text = fc.array(chars, { maxLength: 80 }).map((c) => c.join(""));
    await fc.assert(
      fc.asyncProperty(text, async (body) => {
        const rows = await executeRows(db, sql`
          select array_to_string(runlog_search_terms(${body}), ' ') as now, array_to_string(runlog_search_terms_0015(${body}), ' ') as before,
            runlog_search_fold(${body}) = runlog_search_translate(${body}) as "isFoldedAlike"`);
        const { now, before, isFoldedAlike } = rows[0] as { now: string; before: string; isFoldedAlike: boolean };
        expect(isFoldedAlike).toBe(true);
        expect(now).toBe(before);
        expect(searchTermsOf(body).split(" ").filter(Boolean).sort()).toEqual(now.split(" ").filter(Boolean).sort());
      }),
      { numRuns: 300 },
    );
  });

  it("finds a run by its ID or the start of it", async () => {
    const run = await createFinishedExecution(admin, {});
    expect(await found(admin, run.id)).toEqual([run.id]);
    expect(await found(admin, run.id.slice(0, 8))).toEqual([run.id]);
    expect(await found(admin, run.id.slice(0, 13).toUpperCase())).toEqual([run.id]);
    expect(await found(admin, run.id.slice(0, 6))).toContain(run.id);
  });

  it("never returns a run the person may not see, and combines with every filter", async () => {
    const own = await createFinishedExecution(admin, { logs: [{ step: "finish", message: "Checked the velvetorange collection" }] });
    const failed = await createFinishedExecution(admin, { status: "failed", logs: [{ step: "finish", message: "velvetorange pages timed out" }] });
    expect((await found(admin, "velvetorange")).sort()).toEqual([own.id, failed.id].sort());
    expect(await found(admin, "velvetorange", { statuses: ["failed"] })).toEqual([failed.id]);
    expect(await found(admin, "velvetorange", { agents: ["analytics-review"] })).toEqual([]);
    expect(await found(admin, "velvetorange", { from: "2026-03-31", to: "2026-03-31" })).toHaveLength(2);
    expect(await found(maya, "velvetorange")).toEqual([]);
    expect(await found(globexAdmin, "velvetorange")).toEqual([]);
    const db = await getDb();
    await db.insert(shares).values({ workspaceId: admin.workspaceId, executionId: own.id, kind: "member", granteeUserId: maya.userId, permission: "view", createdBy: admin.userId });
    expect(await found(maya, "velvetorange")).toEqual([own.id]);
    expect(await found(sam, "velvetorange")).toEqual([]);
  });

  it("reads q from the URL for the list, the API and the CSV, and refuses a search with no word", async () => {
    const run = await createFinishedExecution(admin, { logs: [{ step: "finish", message: "Audited the pomegranitex catalogue" }] });
    const parsed = parseListRequest(new URLSearchParams("q=pomegranitex&status=completed"));
    expect(parsed.ok && parsed.filter.q).toBe("pomegranitex");
    const csv = await exportHistoryCsv(admin, new URLSearchParams("q=pomegranitex"));
    if (!csv.ok) throw new Error(csv.message);
    const text = (await readAll(csv.stream)).toString("utf8");
    expect(text).toContain(run.id);
    expect(text.trim().split("\n")).toHaveLength(2);
    expect(parseListRequest(new URLSearchParams("q=%20%2B%2B%20"))).toMatchObject({ ok: false, message: expect.stringContaining("at least one letter or digit") });
  });

  it("makes what the engine writes searchable as each batch commits: items, recommendations, log and results", async () => {
    const id = await startSeoAudit(admin, 30);
    await runExecutionInProcess({ executionId: id, workspaceId: admin.workspaceId });
    const db = await getDb();
    const [rec] = await db.select().from(recommendations).where(eq(recommendations.executionId, id)).limit(1);
    const [log] = await db.select().from(executionLogs).where(eq(executionLogs.executionId, id)).limit(1);
    const [result] = await db.select().from(executionResults).where(eq(executionResults.executionId, id)).limit(1);
    const wordOf = (text: string) => text.split(/[^\p{L}\p{N}]+/u).filter((w) => w.length > 3).at(-1)!;
    for (const text of [rec!.itemLabel, rec!.rationale, log!.message, stringsOf(result!.payload).find((s) => /\p{L}{4}/u.test(s))!]) {
      // The newest run comes first; other runs may hold the same word (a page's path, a rule's wording).
      expect((await found(admin, wordOf(text)))[0], text).toBe(id);
    }
  });
});
