/**
 * Agents' per-item analysis runs on worker threads, off the event loop that serves pages
 * (RUNLOG_ANALYSIS_THREADS, default one fewer than the cores, at least 1 and at most 4; 0
 * analyses on the main thread). Requests queue for the next free worker; a worker that dies
 * fails only the request it held, and is replaced.
 */
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { Worker } from "node:worker_threads";
import type { StoreItem } from "@/lib/platforms/adapter";
import type { ItemAnalysis, ItemFailure } from "../agent";
import { analyzeItemsHere, type AnalysisReply, type AnalysisRequest } from "./analyze";

type Pending = { request: AnalysisRequest; resolve: (analyses: (ItemAnalysis | ItemFailure)[]) => void; reject: (error: Error) => void };
type Slot = { worker: Worker; busy: Pending | null };
type Pool = { slots: Slot[]; queue: Pending[]; nextId: number; isBroken: boolean };

const pool: Pool = ((globalThis as { __runlogAnalysisPool?: Pool }).__runlogAnalysisPool ??= { slots: [], queue: [], nextId: 1, isBroken: false });

function analysisThreads(): number {
  const configured = process.env.RUNLOG_ANALYSIS_THREADS;
  if (configured !== undefined && configured !== "" && Number.isInteger(Number(configured))) return Math.max(0, Math.min(16, Number(configured)));
  return Math.max(1, Math.min(4, os.availableParallelism() - 1));
}

/** Analyses items on a worker thread (or here, with no threads configured). */
export function analyzeItems(agentId: string, settings: unknown, context: unknown, items: StoreItem[]): Promise<(ItemAnalysis | ItemFailure)[]> {
  const threads = analysisThreads();
  if (threads === 0 || pool.isBroken) return Promise.resolve(analyzeItemsHere({ agentId, settings, context, items }));
  return new Promise((resolve, reject) => {
    pool.queue.push({ request: { id: pool.nextId++, agentId, settings, context, items }, resolve, reject });
    while (pool.slots.length < threads && pool.slots.every((slot) => slot.busy)) {
      const slot = startSlot();
      if (!slot) break;
    }
    drain();
  });
}

function drain() {
  for (const slot of pool.slots) {
    if (slot.busy) continue;
    const next = pool.queue.shift();
    if (!next) return;
    slot.busy = next;
    slot.worker.ref();
    slot.worker.postMessage(next.request);
  }
  if (pool.isBroken) {
    // No worker could start: what is queued is analysed here.
    for (const pending of pool.queue.splice(0)) {
      try {
        pending.resolve(analyzeItemsHere(pending.request));
      } catch (error) {
        pending.reject(error as Error);
      }
    }
  }
}

function startSlot(): Slot | null {
  let worker: Worker;
  try {
    worker = createWorker();
  } catch (error) {
    console.error("Runlog: analysis threads could not start; analysing on the main thread:", error);
    pool.isBroken = true;
    drain();
    return null;
  }
  const slot: Slot = { worker, busy: null };
  pool.slots.push(slot);
  worker.unref();
  worker.on("message", (reply: AnalysisReply) => {
    const pending = slot.busy;
    slot.busy = null;
    worker.unref();
    if (pending && pending.request.id === reply.id) {
      if ("error" in reply) pending.reject(new Error(reply.error));
      else pending.resolve(reply.analyses);
    }
    drain();
  });
  const retire = (error: Error) => {
    pool.slots.splice(pool.slots.indexOf(slot), 1);
    const pending = slot.busy;
    slot.busy = null;
    if (hasEverAnswered.has(worker)) {
      pending?.reject(error);
    } else {
      // A worker that cannot even load its code would fail the same way again: its request
      // and every later one are analysed here instead.
      console.error("Runlog: an analysis thread failed to start; analysing on the main thread:", error);
      pool.isBroken = true;
      if (pending) pool.queue.unshift(pending);
    }
    drain();
  };
  worker.on("message", () => hasEverAnswered.add(worker));
  worker.on("error", retire);
  worker.on("exit", (code) => {
    if (pool.slots.includes(slot)) retire(new Error(`The analysis thread stopped (exit code ${code}).`));
  });
  return slot;
}

const hasEverAnswered = new WeakSet<Worker>();

function createWorker(): Worker {
  if (import.meta.url.endsWith(".ts")) {
    // Run from source (tests, scripts under tsx): the worker loads its TypeScript through tsx.
    const entry = path.join(path.dirname(fileURLToPath(import.meta.url)), "worker.ts");
    return new Worker(`require("tsx/cjs"); require(${JSON.stringify(entry)});`, { eval: true, name: "runlog-analysis" });
  }
  // In the Next.js build the bundler turns this URL into the worker's compiled chunk.
  return new Worker(new URL("./worker.ts", import.meta.url), { name: "runlog-analysis" });
}

/** Starts the threads ahead of the first run, so that run does not wait for them to load. */
export async function warmAnalysisThreads(): Promise<void> {
  await analyzeItems("seo-audit", null, null, []);
}
