/**
 * One step of a bulk job (db/schema/bulk.ts): several batches, so that a job of any size fits
 * Inngest's 1,000 steps per function run (a million runs to delete is 200 steps of 20 batches
 * of 250; a million changes to apply, 500 steps of 8 parts of 250). A step is a fixed number
 * of batches, not a time budget, so that bound holds however slow the store: about 20 s of
 * work here. In-process, steps follow one another in the process that took the job.
 */
import { eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { isConnectionError } from "@/db/connection-errors";
import { bulkJobs, type BulkJob } from "@/db/schema";
import { runApplyJobPart } from "@/lib/results/apply-job";
import { bulkBatchSize, runBulkBatch } from "./bulk-by-filter";

const batchesPerStep = { apply: 8, other: 20 } as const;
/** A lost connection is waited out this many times, 1 s, 2 s, 4 s… apart, before the step fails (and is retried, or resumed by the sweep). */
const connectionRetries = 5;

type BulkStep = { job: BulkJob | null; handled: number; isHeldElsewhere: boolean };

/** Works on a job for one step as `worker`; answers the job as it stands after. */
export async function runBulkJobStep(jobId: string, worker: string): Promise<BulkStep> {
  const db = await getDb();
  const [found] = await db.select({ action: bulkJobs.action }).from(bulkJobs).where(eq(bulkJobs.id, jobId));
  if (!found) return { job: null, handled: 0, isHeldElsewhere: false };
  const isApply = found.action === "apply";
  let handled = 0;
  let job: BulkJob | null = null;
  for (let batch = 0; batch < (isApply ? batchesPerStep.apply : batchesPerStep.other); batch++) {
    const step = await waitingOutLostConnections(() => (isApply ? runApplyJobPart(jobId, worker) : runBulkBatch(jobId, bulkBatchSize)));
    job = step.job;
    handled += step.handled;
    if (!job || job.status !== "running") break;
    // Another worker holds this apply job (this one was handed it by a sweep while that one was alive).
    if (isApply && job.worker !== worker) return { job, handled, isHeldElsewhere: true };
  }
  return { job, handled, isHeldElsewhere: false };
}

async function waitingOutLostConnections<T>(work: () => Promise<T>): Promise<T> {
  for (let attempt = 0; ; attempt++) {
    try {
      return await work();
    } catch (error) {
      if (!isConnectionError(error) || attempt >= connectionRetries) throw error;
      await new Promise((resolve) => setTimeout(resolve, 1000 * 2 ** attempt));
    }
  }
}
