/**
 * A worker thread that analyses store items for the engine (lib/agents/analysis/pool.ts), so
 * an agent's CPU work never holds up the event loop that serves pages.
 */
import { parentPort } from "node:worker_threads";
import { analyzeItemsHere, type AnalysisReply, type AnalysisRequest } from "./analyze";

parentPort?.on("message", (request: AnalysisRequest) => {
  let reply: AnalysisReply;
  try {
    reply = { id: request.id, analyses: analyzeItemsHere(request) };
  } catch (error) {
    reply = { id: request.id, error: error instanceof Error ? error.message : String(error) };
  }
  parentPort!.postMessage(reply);
});
