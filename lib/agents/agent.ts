import type { z } from "zod";
import type { Tx } from "@/db/client";
import type { Priority } from "@/db/schema";
import type { ItemQuery, StoreItem } from "@/lib/platforms/adapter";
import type { AgentInfo } from "./catalog";
import type { ProposedChange, WithheldChange } from "./findings";
import type { RuleBreach } from "./suggestion-rules";

/** One agent: its settings, which store items it reads, what it concludes per item and overall. */
export type Todo = { priority: Priority; title: string; detail: string };

/** An item the agent cannot work on, with the reason people see beside it. */
export type ItemFailure = { outcome: "failed"; reason: string };

export type ItemAnalysis = {
  outcome: "processed" | "skipped";
  score: number | null;
  changes: (ProposedChange & { origin: "change" | "generated" })[];
  todos: Todo[];
  /** Figures the summary needs later (page weight, a day's traffic…). */
  data?: Record<string, unknown>;
  /** Fields that needed a change the agent could not make within its rules, and why: the log says so. */
  withheld?: WithheldChange[];
};

export type ProcessedItem = { itemType: string; itemRef: string; itemLabel: string; score: number | null; data: Record<string, unknown> | null };

type SummaryInput<S> = {
  executionId: string;
  workspaceId: string;
  connectionId: string;
  settings: S;
  items: ProcessedItem[];
  changeCount: number;
  todoCount: number;
  finishedAt: Date;
};

/** The run whose batch is being settled, and the store it works on. */
export type SettlingRun = { executionId: string; workspaceId: string; connectionId: string };

type ResultBlock = { kind: "recommendations" | "report" | "generated_content" | "scores" | "action_items"; title: string; payload: Record<string, unknown> };

/** `todos`: to-dos that only the whole run reveals, added to the per-item ones. */
export type AgentSummary = { results: ResultBlock[]; preview: string; todos?: Todo[] };

export type AgentModule<S extends { scope: ItemQuery["scope"] } = { scope: ItemQuery["scope"] }> = {
  info: AgentInfo;
  settingsSchema: z.ZodType<S>;
  /** Settings the run form starts from. */
  defaultSettings: S;
  itemQuery(settings: S, now: Date): ItemQuery;
  /** Loaded once per batch: facts about the whole store an item's analysis needs. */
  loadContext?(connectionId: string): Promise<unknown>;
  analyze(item: StoreItem, settings: S, context: unknown): ItemAnalysis | ItemFailure;
  /**
   * How a change to `item` breaks the rules this agent states (lengths, whole sentences, nothing
   * repeated, not the current value, a better score by its own measure); none: it may be proposed.
   */
  changeBreaches(item: StoreItem, settings: S, context: unknown, change: Pick<ProposedChange, "field" | "after">): RuleBreach[];
  /**
   * What only the run as a whole can settle, once per batch before its findings are written: in
   * the batch's transaction (so it sees every batch the run committed before, a resumed run
   * too), in item order. The SEO audit keeps its proposed titles apart here from each other, from
   * the store's titles and from other runs' open proposals. Answers the analyses to write, one
   * per item given.
   */
  settleBatch?(tx: Tx, run: SettlingRun, batch: { item: Pick<StoreItem, "ref">; analysis: ItemAnalysis | ItemFailure }[]): Promise<(ItemAnalysis | ItemFailure)[]>;
  summarize(input: SummaryInput<S>): Promise<AgentSummary>;
};

