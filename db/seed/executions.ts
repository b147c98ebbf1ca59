import type {
  actionItems, creditLedger, executionItems, executionLogs, executionResults, ExecutionErrorCode, ExecutionScope,
  ExecutionStatus, executions, recommendations,
} from "@/db/schema";
import type { ItemAnalysis, ProcessedItem } from "@/lib/agents/agent";
import { analyzeItemsHere } from "@/lib/agents/analysis/analyze";
import { reviewSummary } from "@/lib/agents/analytics-review";
import { agentCatalog, estimateCredits, type AgentId } from "@/lib/agents/catalog";
import { hasDetailsToWriteFrom, needsDescription } from "@/lib/agents/description-rules";
import { getAgent, type AnySettings } from "@/lib/agents/registry";
import { keepTitlesDistinct } from "@/lib/agents/seo-rules";
import { auditSummary } from "@/lib/agents/summaries";
import { failureStories } from "@/lib/executions/failure-stories";
import type { StoreItem } from "@/lib/platforms/adapter";
import { fieldLabel } from "@/lib/results/field-labels";
import type { Metric } from "@/lib/results/payloads";
import { dayMs, type SeededRandom } from "./random";
import type { SeedPage, SeedProduct, SeedTrafficDay } from "./store";

/**
 * Fifteen months of agent runs, produced by the agents' own code (the analysis the engine's
 * worker threads run, and the agents' summaries) over the demo store, so that scores,
 * recommendations and previews agree with what the store holds and keep the agents' rules.
 */

export type HistoryInput = {
  /** Draws the plan: when each run was queued, by whom, of which agent. */
  rng: SeededRandom;
  /** A generator of run `key`'s own (its status, items and log), so a run is the same whatever runs sort before it. */
  runRandom: (key: number) => SeededRandom;
  now: Date;
  workspaceId: string;
  connectionId: string;
  storeName: string;
  members: { userId: string; weight: number }[];
  products: SeedProduct[];
  pages: SeedPage[];
  traffic: SeedTrafficDay[];
  revenueByDay: Map<string, number>;
  /** Current meta description of each product and page, by id. */
  metaByRef: Map<string, string | null>;
  count: number;
  workflows: { id: string; agentId: AgentId; createdBy: string; runs: Date[]; settings: Record<string, unknown> }[];
  withLiveRuns: boolean;
  grants: { initial: number; monthly: number };
};

export type History = {
  executions: (typeof executions.$inferInsert)[];
  items: (typeof executionItems.$inferInsert)[];
  logs: (typeof executionLogs.$inferInsert)[];
  results: (typeof executionResults.$inferInsert)[];
  recommendations: (typeof recommendations.$inferInsert)[];
  actionItems: (typeof actionItems.$inferInsert)[];
  ledger: (typeof creditLedger.$inferInsert)[];
  balance: number;
};

type Subject = { type: "page" | "product" | "day"; ref: string; label: string; analysis: ItemAnalysis | null; item?: StoreItem };

type StoryCode = Exclude<ExecutionErrorCode, "internal">;

const itemFailureReasons = [
  "Product was deleted on the platform while the run was in progress",
  "Platform returned 429 Too Many Requests after 3 retries",
  "Image could not be fetched (timeout after 10 s)",
  "Item data was incomplete: no title returned by the platform",
];

/** How far back the demo's runs go. The store's orders and traffic go back further (salesDays), so the oldest analytics review still has its whole period. */
const historyDays = 455;
const reviewPeriods = [7, 14, 30] as const;
export const salesDays = historyDays + Math.max(...reviewPeriods) + 1;

/** This week's trouble, so the demo always has recent failures to troubleshoot: agent, status, days ago. */
const recentTrouble: [AgentId, ExecutionStatus, number][] = [["seo-audit", "failed", 1.6], ["seo-audit", "failed", 4.3], ["performance-audit", "failed", 2.8], ["product-description-writer", "partial", 0.9]];
const maxWorkflowRuns = 150;

export function generateHistory(history: HistoryInput): History {
  const titleCounts = new Map<string, number>();
  for (const p of history.products) titleCounts.set(p.title, (titleCounts.get(p.title) ?? 0) + 1);
  // What the SEO audit's loadContext reads from the store: titles several products share.
  const input: SeedInput = {
    ...history,
    duplicateTitles: new Set([...titleCounts].filter(([, n]) => n > 1).map(([title]) => title)),
    storeTitles: new Set([...history.products, ...history.pages].map((item) => item.title)),
  };
  const { rng, now } = input;
  const out: History = { executions: [], items: [], logs: [], results: [], recommendations: [], actionItems: [], ledger: [], balance: 0 };
  const ledgerEvents: { at: Date; kind: "grant" | "reserve" | "refund"; amount: number; executionId?: string; agentId?: string; userId?: string | null; key: string; note?: string }[] = [];
  const start = new Date(now.getTime() - historyDays * dayMs);

  ledgerEvents.push({ at: new Date(start.getTime() - dayMs), kind: "grant", amount: input.grants.initial, key: "grant:initial", note: "Plan credits" });
  for (let m = 1; m <= 15; m++) {
    const at = new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + m, 1, 0, 5));
    if (at < now) ledgerEvents.push({ at, kind: "grant", amount: input.grants.monthly, key: `grant:${at.toISOString().slice(0, 7)}`, note: "Monthly plan credits" });
  }

  const userWeights = input.members.filter((m) => m.weight > 0).map((m) => [m.userId, m.weight] as const);
  type Planned = { key: number; at: Date; agentId: AgentId; userId: string | null; workflow?: HistoryInput["workflows"][number]; status?: ExecutionStatus };
  const planned: Planned[] = [];
  for (let i = 0; i < input.count; i++) {
    const ageDays = historyDays * (1 - Math.sqrt(rng.next()));
    const at = new Date(now.getTime() - Math.max(ageDays * dayMs, 40 * 60_000));
    const agentId = rng.weighted([["seo-audit", 34], ["product-description-writer", 24], ["analytics-review", 20], ["performance-audit", 22]] as const);
    planned.push({ key: i, at, agentId, userId: rng.weighted(userWeights) });
  }
  // Keys the same on every date: a workflow's runs (at most maxWorkflowRuns) after the random ones, then this week's trouble.
  input.workflows.forEach((workflow, w) => {
    if (workflow.runs.length > maxWorkflowRuns) throw new Error(`a demo workflow has more than ${maxWorkflowRuns} runs`);
    workflow.runs.forEach((at, r) => planned.push({ key: input.count + w * maxWorkflowRuns + r, at, agentId: workflow.agentId, userId: null, workflow }));
  });
  const troubleKey = input.count + input.workflows.length * maxWorkflowRuns;
  if (input.withLiveRuns) {
    recentTrouble.forEach(([agentId, status, daysAgo], n) => planned.push({ key: troubleKey + n, at: new Date(now.getTime() - daysAgo * dayMs), agentId, userId: rng.weighted(userWeights), status }));
  }
  planned.sort((a, b) => a.at.getTime() - b.at.getTime());

  const lastRunByUserAgent = new Map<string, string>();
  let previousAnalytics: Metric[] | null = null;

  for (const plan of planned) {
    const ageDays = (now.getTime() - plan.at.getTime()) / dayMs;
    const runInput = { ...input, rng: input.runRandom(plan.key) };
    const status: ExecutionStatus = plan.status ?? runInput.rng.weighted([["completed", 79], ["failed", 8], ["partial", 7], ["canceled", 6]] as const);
    const built = buildRun(runInput, plan.agentId, plan.at, status, plan.workflow?.settings);
    const id = runInput.rng.uuid();
    const rerunKey = `${plan.userId}:${plan.agentId}`;
    const rerunOf = plan.userId && lastRunByUserAgent.has(rerunKey) && runInput.rng.chance(0.06) ? lastRunByUserAgent.get(rerunKey)! : null;
    if (plan.userId) lastRunByUserAgent.set(rerunKey, id);
    const chargedUserId = plan.userId ?? plan.workflow?.createdBy ?? null;
    const metrics = materialize(runInput, out, {
      id, agentId: plan.agentId, status, queuedAt: plan.at, built, ageDays,
      triggeredBy: plan.userId, workflowId: plan.workflow?.id ?? null, rerunOf, previousAnalytics,
    });
    if (metrics && plan.agentId === "analytics-review") previousAnalytics = metrics;
    const row = out.executions[out.executions.length - 1]!;
    ledgerEvents.push({ at: plan.at, kind: "reserve", amount: -row.creditsReserved!, executionId: id, agentId: plan.agentId, userId: chargedUserId, key: `reserve:${id}` });
    if ((row.creditsRefunded ?? 0) > 0) {
      ledgerEvents.push({ at: row.finishedAt!, kind: "refund", amount: row.creditsRefunded!, executionId: id, agentId: plan.agentId, userId: chargedUserId, key: `refund:${id}` });
    }
  }

  if (input.withLiveRuns) {
    const live: [AgentId, ExecutionStatus, number, number][] = [
      ["seo-audit", "running", 9, 0.62],
      ["performance-audit", "running", 3, 0.2],
      ["product-description-writer", "queued", 0.3, 0],
    ];
    const admin = input.members[0]!.userId;
    live.forEach(([agentId, status, minutesAgo, progress], n) => {
      const at = new Date(now.getTime() - minutesAgo * 60_000);
      const runInput = { ...input, rng: input.runRandom(troubleKey + recentTrouble.length + n) };
      const built = buildRun(runInput, agentId, at, status, undefined, 60);
      const id = runInput.rng.uuid();
      const userId = n === 1 ? input.members[1]!.userId : admin;
      materialize(runInput, out, { id, agentId, status, queuedAt: at, built, ageDays: 0, triggeredBy: userId, workflowId: null, rerunOf: null, previousAnalytics: null, progress });
      const row = out.executions[out.executions.length - 1]!;
      ledgerEvents.push({ at, kind: "reserve", amount: -row.creditsReserved!, executionId: id, agentId, userId, key: `reserve:${id}` });
    });
  }

  ledgerEvents.sort((a, b) => a.at.getTime() - b.at.getTime() || (a.kind === "grant" ? -1 : 1));
  let balance = 0;
  for (const event of ledgerEvents) {
    if (balance + event.amount < 0) {
      // A busy month ran the plan dry; the admin bought a top-up, as real teams do.
      const topUp = 5_000;
      balance += topUp;
      out.ledger.push({ workspaceId: input.workspaceId, kind: "grant", amount: topUp, balanceAfter: balance, idempotencyKey: `grant:top-up:${event.key}`, note: "Credit top-up", at: new Date(event.at.getTime() - 1000) });
    }
    balance += event.amount;
    out.ledger.push({
      workspaceId: input.workspaceId, kind: event.kind, amount: event.amount, balanceAfter: balance, executionId: event.executionId ?? null,
      agentId: event.agentId ?? null, userId: event.userId ?? null, idempotencyKey: event.key, note: event.note ?? null, at: event.at,
    });
  }
  out.balance = balance;
  return out;
}

type SeedInput = HistoryInput & { duplicateTitles: ReadonlySet<string>; storeTitles: ReadonlySet<string> };

type BuiltRun = { settings: Record<string, unknown>; scope: ExecutionScope; subjects: Subject[] };

function buildRun(input: SeedInput, agentId: AgentId, at: Date, status: ExecutionStatus, workflowSettings?: Record<string, unknown>, liveSize?: number): BuiltRun {
  const { rng } = input;
  const size = liveSize ?? rng.weighted([[rng.int(5, 12), 35], [rng.int(13, 25), 40], [rng.int(26, 40), 25]] as const);
  if (agentId === "analytics-review") {
    const periodDays = (workflowSettings?.periodDays as number | undefined) ?? rng.pick(reviewPeriods);
    const endDay = new Date(at.getTime() - dayMs).toISOString().slice(0, 10);
    const window = input.traffic.filter((d) => d.day <= endDay).slice(-periodDays);
    return {
      settings: { periodDays, compareWithPrevious: true },
      scope: { mode: "all", maxItems: periodDays },
      subjects: window.map((d) => ({ type: "day", ref: d.day, label: d.day, analysis: null })),
    };
  }
  if (agentId === "performance-audit") {
    const pages = rng.sample(input.pages, Math.min(size, input.pages.length)).filter((p) => p.htmlBytes > 0);
    const settings = { device: rng.pick(["mobile", "desktop"] as const) };
    const scope: ExecutionScope = { mode: "all", maxItems: pages.length };
    return { settings, scope, subjects: analyzed(agentId, { ...settings, scope }, null, pages.map((p) => pageItem(p))) };
  }
  const collections = [...new Set(input.products.map((p) => p.collection))];
  const useCollection = rng.chance(0.4);
  const collection = rng.pick(collections);
  const pool = useCollection ? input.products.filter((p) => p.collection === collection) : input.products;
  const scopeBase = { mode: useCollection ? "collection" : "all", ...(useCollection ? { collection } : {}) } as const;

  if (agentId === "product-description-writer") {
    // The runs that finished wrote for products the writer can write for; the others it fails (see the live runs).
    const isWritable = (p: SeedProduct) => needsDescription(p) && hasDetailsToWriteFrom(p);
    const writable = pool.some(isWritable) ? pool.filter(isWritable) : input.products.filter(isWritable);
    const chosen = rng.sample(writable, Math.min(size, writable.length));
    const tone = rng.pick(["friendly", "technical"] as const);
    const settings = workflowSettings ?? { tone, onlyWeakDescriptions: true };
    const scope: ExecutionScope = { ...scopeBase, maxItems: chosen.length };
    return { settings, scope, subjects: analyzed(agentId, { ...settings, scope }, null, chosen.map(productItem)) };
  }

  const includePages = !useCollection && rng.chance(0.7);
  const pickedPages = includePages ? rng.sample(input.pages, Math.ceil(size / 3)) : [];
  const pickedProducts = rng.sample(pool, Math.min(pool.length, size - pickedPages.length));
  const settings = workflowSettings ?? { includePages, includeProducts: true, titleMaxLength: 60, metaMinLength: 70, metaMaxLength: 160 };
  const scope: ExecutionScope = { ...scopeBase, maxItems: pickedPages.length + pickedProducts.length };
  const subjects = analyzed(agentId, { ...settings, scope }, input.duplicateTitles, [...pickedPages.map(pageItem), ...pickedProducts.map(productItem)]);
  // As the engine settles each batch: no title proposed twice in a run, nor one another item has.
  // Each past run on its own: not, as the engine does, against other runs' open proposals.
  const settled = keepTitlesDistinct(subjects.map((s) => s.analysis!), (title) => input.storeTitles.has(title));
  return { settings, scope, subjects: subjects.map((s, n) => ({ ...s, analysis: settled[n]! })) };
}

function pageItem(page: SeedPage): StoreItem {
  return { type: "page", ref: page.id, label: page.path, key: `page:${page.id}`, fields: { ...page } };
}

function productItem(product: SeedProduct): StoreItem {
  return { type: "product", ref: product.id, label: product.title, key: `product:${product.id}`, fields: { ...product } };
}

/** Items as the agent's own analysis (the code the engine's worker threads run) finds them. */
function analyzed(agentId: AgentId, settings: Record<string, unknown>, context: unknown, items: StoreItem[]): Subject[] {
  const analyses = analyzeItemsHere({ agentId, settings, context, items });
  return items.map((item, n) => {
    const analysis = analyses[n]!;
    if (analysis.outcome === "failed") throw new Error(`The demo seed chose an item ${agentId} cannot process: ${analysis.reason}`);
    return { type: item.type as Subject["type"], ref: item.ref, label: item.label, analysis, item };
  });
}

type RunFacts = {
  id: string; agentId: AgentId; status: ExecutionStatus; queuedAt: Date; built: BuiltRun; ageDays: number;
  triggeredBy: string | null; workflowId: string | null; rerunOf: string | null; previousAnalytics: Metric[] | null; progress?: number;
};

/** Writes one run's rows (execution, items, log, results) and returns its metrics when it has them. */
function materialize(input: SeedInput, out: History, run: RunFacts): Metric[] | null {
  const { rng } = input;
  const { id, agentId, status, built } = run;
  const agent = agentCatalog[agentId];
  const total = built.subjects.length;
  const reserved = estimateCredits(agentId, total);
  const isLive = status === "running" || status === "queued";

  let reached = total;
  if (status === "failed") reached = rng.int(0, Math.floor(total / 2));
  if (status === "canceled") reached = rng.int(1, Math.max(1, total - 1));
  if (status === "running") reached = Math.floor(total * (run.progress ?? 0.5));
  if (status === "queued") reached = 0;
  const failedCount = status === "partial" ? Math.min(rng.int(1, 4), Math.max(1, total - 1)) : 0;
  const failedIndexes = new Set(rng.sample([...Array(reached).keys()], failedCount));
  const processed = reached - failedIndexes.size;

  const secondsPerItem = agentId === "analytics-review" ? 0.15 + rng.next() * 0.2 : 0.4 + rng.next() * 1.8;
  const startedAt = status === "queued" ? null : new Date(run.queuedAt.getTime() + rng.int(800, 6000));
  const durationMs = Math.round((reached * secondsPerItem + 1.5 + rng.next() * 2) * 1000);
  const finishedAt = isLive || !startedAt ? null : new Date(startedAt.getTime() + durationMs);
  const charged = status === "failed" || isLive ? 0 : agent.cost.base + agent.cost.perItem * processed;

  const processedSubjects = built.subjects.slice(0, reached);
  processedSubjects.forEach((subject, index) => {
    const isFailed = failedIndexes.has(index);
    out.items.push({
      executionId: id, workspaceId: input.workspaceId, itemType: subject.type, itemRef: subject.ref, itemLabel: subject.label,
      outcome: isFailed ? "failed" : "processed", reason: isFailed ? rng.pick(itemFailureReasons) : null,
      score: isFailed ? null : subject.analysis?.score ?? null,
      processedAt: new Date((startedAt ?? run.queuedAt).getTime() + Math.round((index + 1) * secondsPerItem * 1000)),
    });
  });
  const goodSubjects = processedSubjects.filter((_, index) => !failedIndexes.has(index));

  const errorCode = status === "failed"
    ? rng.weighted([["connection_lost", 35], ["rate_limited", 20], ["timeout", 20], ["insufficient_data", 15], ["invalid_settings", 10]] as const)
    : null;
  const logs = buildLog(run, agent.name, agent.version, input.storeName, total, reached, failedIndexes, processedSubjects, startedAt, secondsPerItem, errorCode);
  const errorLine = logs.find((l) => l.level === "error");
  for (const line of logs) out.logs.push({ ...line, executionId: id, workspaceId: input.workspaceId });

  const hasResults = (status === "completed" || status === "partial" || status === "canceled") && goodSubjects.length > 0;
  let metrics: Metric[] | null = null;
  let preview: string | null = null;
  if (hasResults && finishedAt) {
    const written = writeResults(input, out, run, goodSubjects, finishedAt);
    metrics = written.metrics;
    preview = written.preview;
  }
  if (status === "failed" && errorCode) preview = `Failed: ${failureStories[errorCode].message.split(":")[0]!.replace(/\.$/, "").toLowerCase()}`;
  if (status === "partial") preview = `${preview ?? "Finished"} · ${failedIndexes.size} item${failedIndexes.size === 1 ? "" : "s"} failed`;
  if (status === "canceled") preview = `Canceled after ${reached} of ${total} items`;
  if (status === "running") preview = `Processing: ${reached} of ${total} items`;
  if (status === "queued") preview = "Waiting to start";

  out.executions.push({
    id, workspaceId: input.workspaceId, agentId, agentVersion: agent.version, status, settings: { ...built.settings, scope: built.scope }, scope: built.scope,
    connectionId: input.connectionId, itemsTotal: total, itemsProcessed: processed, itemsFailed: failedIndexes.size,
    creditsReserved: reserved, creditsCharged: charged, creditsRefunded: isLive ? 0 : reserved - charged,
    errorCode, errorMessage: errorCode ? failureStories[errorCode].message : null, errorHint: errorCode ? failureStories[errorCode].hint : null,
    errorLogSeq: errorLine?.seq ?? null, preview, triggeredBy: run.triggeredBy, workflowId: run.workflowId, rerunOf: run.rerunOf,
    batchesDone: isLive ? 0 : Math.ceil(reached / 10), heartbeatAt: status === "running" ? new Date(input.now.getTime() - 4000) : null,
    createdAt: run.queuedAt, startedAt, finishedAt,
  });
  return metrics;
}

type LogLine = Omit<typeof executionLogs.$inferInsert, "executionId" | "workspaceId">;

function buildLog(
  run: RunFacts, agentName: string, version: string, storeName: string, total: number, reached: number, failedIndexes: Set<number>,
  subjects: Subject[], startedAt: Date | null, secondsPerItem: number, errorCode: StoryCode | null,
): LogLine[] {
  if (!startedAt) return [];
  const lines: LogLine[] = [];
  let clock = startedAt.getTime();
  const add = (level: LogLine["level"], step: string, message: string, data?: Record<string, unknown>, advanceMs = 200) => {
    clock += advanceMs;
    lines.push({ seq: lines.length + 1, at: new Date(clock), level, step, message, data: data ?? null });
  };
  add("info", "start", `Started ${agentName} v${version} on ${total} items`, { scope: run.built.scope });
  add("info", "load-items", `Loaded ${total} items from ${storeName}`, { items: total }, 600);
  if (errorCode === "invalid_settings" || errorCode === "insufficient_data") {
    add("error", "load-items", failureStories[errorCode].log, { code: errorCode });
    return lines;
  }
  const batchSize = 10;
  const batches = Math.ceil(total / batchSize);
  for (let b = 0; b < batches; b++) {
    const from = b * batchSize;
    if (from >= reached) break;
    const to = Math.min(reached, from + batchSize);
    const ms = Math.round((to - from) * secondsPerItem * 1000);
    for (let i = from; i < to; i++) {
      const subject = subjects[i]!;
      if (failedIndexes.has(i)) add("warn", `batch ${b + 1}/${batches}`, `Skipped “${subject.label}”: item could not be processed`, { itemRef: subject.ref }, 50);
      else for (const { field, reason } of subject.analysis?.withheld ?? []) {
        add("info", `batch ${b + 1}/${batches}`, `No ${fieldLabel(field).toLowerCase()} proposed for “${subject.label}”: ${reason}.`, { itemRef: subject.ref, field }, 0);
      }
    }
    add("info", `batch ${b + 1}/${batches}`, `Processed ${to - from} items in ${(ms / 1000).toFixed(1)} s`, { items: to - from, ms, itemsPerSecond: Math.round(((to - from) / (ms / 1000)) * 10) / 10 }, ms);
  }
  if (errorCode) {
    add("error", reached < total ? `batch ${Math.floor(reached / batchSize) + 1}/${batches}` : "results", failureStories[errorCode].log, { code: errorCode });
    add("info", "finish", "Refunded all reserved credits");
    return lines;
  }
  if (run.status === "canceled") {
    add("warn", "cancel", `Canceled by request after ${reached} of ${total} items`);
    add("info", "finish", "Refunded credits for items not processed");
    return lines;
  }
  if (run.status === "running" || run.status === "queued") return lines;
  add("info", "results", "Wrote results", undefined, 300);
  add("info", "finish", `Finished: ${reached - failedIndexes.size} processed, ${failedIndexes.size} failed`);
  return lines;
}

function writeResults(input: SeedInput, out: History, run: RunFacts, subjects: Subject[], finishedAt: Date): { metrics: Metric[] | null; preview: string } {
  const { rng } = input;
  const { id, agentId } = run;
  const base = { executionId: id, workspaceId: input.workspaceId, createdAt: finishedAt };
  const decidedBy = run.triggeredBy ?? input.members[0]!.userId;
  const recStatus = () =>
    run.ageDays < 14 ? rng.weighted([["pending", 85], ["approved", 10], ["rejected", 5]] as const)
      : rng.weighted([["pending", 45], ["rejected", 25], ["approved", 12], ["applied", 18]] as const);
  const writeBlocks = (results: { kind: (typeof executionResults.$inferInsert)["kind"]; title: string; payload: Record<string, unknown> }[]) =>
    results.forEach((block, position) => out.results.push({ ...base, ...block, position }));

  if (agentId === "analytics-review") {
    const days = subjects.map((s) => input.traffic.find((t) => t.day === s.ref)!).filter(Boolean);
    const revenue = days.reduce((sum, d) => sum + (input.revenueByDay.get(d.day) ?? 0), 0) / 100;
    const summary = reviewSummary(days, revenue, run.previousAnalytics ?? []);
    writeBlocks(summary.results);
    (summary.todos ?? []).forEach((t, position) => out.actionItems.push({ ...itemBase(base), position, ...t, isDone: run.ageDays > 20 && rng.chance(0.5) }));
    return { metrics: summary.metrics, preview: summary.preview };
  }

  let changeCount = 0;
  const todos: { priority: "high" | "medium" | "low"; title: string; detail: string }[] = [];
  for (const subject of subjects) {
    for (const change of subject.analysis!.changes) {
      const status = recStatus();
      changeCount++;
      out.recommendations.push({
        ...base, origin: change.origin, itemType: subject.type, itemRef: subject.ref, itemLabel: subject.label, field: change.field,
        beforeValue: change.before, afterValue: change.after, priority: change.priority, rationale: change.rationale,
        // History keeps the store as it is today, so old runs show these as approved, not yet applied.
        status: status === "applied" ? "approved" : status, decidedBy: status === "pending" ? null : decidedBy, decidedAt: status === "pending" ? null : finishedAt,
      });
    }
    todos.push(...subject.analysis!.todos);
  }
  const processed: ProcessedItem[] = subjects.map((s) => ({ itemType: s.type, itemRef: s.ref, itemLabel: s.label, score: s.analysis!.score, data: s.analysis!.data ?? null }));

  if (agentId === "product-description-writer") {
    const summary = { results: [
      { kind: "generated_content" as const, title: "New product descriptions", payload: { count: changeCount, summary: `${changeCount} descriptions written` } },
      { kind: "report" as const, title: "Summary", payload: { summary: `Wrote ${changeCount} descriptions for ${subjects.length} products with missing or weak copy.`, tables: [], charts: [] } },
    ] };
    writeBlocks(summary.results);
    return { metrics: null, preview: `${changeCount} description${changeCount === 1 ? "" : "s"} written` };
  }

  if (agentId === "seo-audit" && run.ageDays > 14) {
    // Fixes people applied back then: the store holds their result today (where the audit would have proposed it).
    const settings = { ...run.built.settings, scope: run.built.scope } as AnySettings;
    const wouldPropose = (subject: Subject, meta: string) =>
      getAgent("seo-audit").changeBreaches({ ...subject.item!, fields: { ...subject.item!.fields, metaDescription: null } }, settings, input.duplicateTitles, { field: "meta_description", after: meta }).length === 0;
    for (const subject of subjects) {
      const current = input.metaByRef.get(subject.ref);
      if (!current || subject.analysis!.changes.some((c) => c.field === "meta_description") || !rng.chance(0.25) || !wouldPropose(subject, current)) continue;
      changeCount++;
      const appliedAt = new Date(finishedAt.getTime() + rng.int(1, 72) * 3600_000);
      out.recommendations.push({
        ...base, origin: "change", itemType: subject.type, itemRef: subject.ref, itemLabel: subject.label, field: "meta_description",
        beforeValue: null, afterValue: current, priority: "high", rationale: "There was no meta description; search engines picked a random snippet instead.",
        status: "applied", decidedBy, decidedAt: appliedAt, appliedBy: decidedBy, appliedAt,
      });
    }
  }
  const priorityRank = { high: 0, medium: 1, low: 2 };
  const topTodos = todos.sort((a, b) => priorityRank[a.priority] - priorityRank[b.priority]).slice(0, 6);
  topTodos.forEach((t, position) => out.actionItems.push({ ...itemBase(base), position, ...t, isDone: run.ageDays > 20 && rng.chance(0.4) }));
  const summary = auditSummary(agentId === "seo-audit" ? "seo" : "performance", processed, changeCount, topTodos.length);
  writeBlocks(summary.results);
  const scores = summary.results.find((r) => r.kind === "scores")?.payload.metrics as Metric[] | undefined;
  return { metrics: scores ?? null, preview: summary.preview };
}

function itemBase(base: { executionId: string; workspaceId: string }) {
  return { executionId: base.executionId, workspaceId: base.workspaceId };
}
