/**
 * One create per entry a form sends, however often it is sent. A form sends a submission id with
 * each try of one entry (components/ui/use-submission-id.ts) and makes a new one only after a
 * success the page saw. A try whose answer was lost (the connection cut after the server did the
 * work), a double click or a doubled POST thus comes again with the same id, and answers what the
 * first made instead of making a second webhook, token, link, workflow or view. A create without
 * an id (a page from before, a post before the page's script ran) creates as it always did.
 */
import { randomUUID } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Tx } from "@/db/client";
import { formSubmissions, type SubmissionKind } from "@/db/schema";
import type { Ctx } from "@/lib/auth/context";
import { failure, type Failure, type Outcome } from "@/lib/outcome";

const submissionIdInput = z.uuid().nullish();

const unreadableSubmissionMessage = "This form's submission id is not one Runlog makes; reload the page and try again.";

/**
 * Records the submission in the create's transaction, before its first write, and answers the id
 * the new row takes. When another try of the same submission made its row first (the two were
 * sent at once), it ends the transaction instead, and the create answers that one.
 */
type ClaimSubmission = (tx: Tx) => Promise<string>;

type CreateOnceSteps<T extends object> = {
  /** Checks the input and creates, calling `claim` first in its transaction and giving the new row the id it answers. */
  create: (claim: ClaimSubmission) => Promise<Outcome<T>>;
  /** The answer to a repeated submission: what the first made, as it is now (`createdId`), without its audit entry. */
  repeat: (createdId: string) => Promise<Outcome<T>>;
};

/**
 * Runs `create` once per submission id of this person in this workspace: `raw.submissionId`,
 * read here so each create reads it the same way. A repeat is answered by `repeat` before the
 * input is checked again, so it answers as the first try did even if what the form holds changed.
 */
export async function createOnce<T extends object>(ctx: Ctx, kind: SubmissionKind, raw: unknown, steps: CreateOnceSteps<T>): Promise<Outcome<T>> {
  const read = submissionIdInput.safeParse(raw !== null && typeof raw === "object" ? (raw as { submissionId?: unknown }).submissionId : undefined);
  if (!read.success) return failure("invalid_input", unreadableSubmissionMessage);
  const submissionId = read.data ?? null;
  if (!submissionId) return steps.create(async () => randomUUID());
  const key = and(eq(formSubmissions.workspaceId, ctx.workspaceId), eq(formSubmissions.userId, ctx.userId), eq(formSubmissions.kind, kind), eq(formSubmissions.submissionId, submissionId));
  const db = await getDb();
  const [earlier] = await db.select({ createdId: formSubmissions.createdId }).from(formSubmissions).where(key);
  if (earlier) return steps.repeat(earlier.createdId);
  try {
    return await steps.create(async (tx) => {
      const [claimed] = await tx
        .insert(formSubmissions)
        .values({ workspaceId: ctx.workspaceId, userId: ctx.userId, kind, submissionId, createdId: randomUUID() })
        // A try of the same submission in flight holds the key: this waits until it commits (or
        // rolls back, and then this one claims it).
        .onConflictDoNothing()
        .returning({ createdId: formSubmissions.createdId });
      if (claimed) return claimed.createdId;
      const [first] = await tx.select({ createdId: formSubmissions.createdId }).from(formSubmissions).where(key);
      if (!first) throw new Error("A submission's key was taken, and its row is not there.");
      throw new MadeByAnotherTry(first.createdId);
    });
  } catch (error) {
    if (error instanceof MadeByAnotherTry) return steps.repeat(error.createdId);
    throw error;
  }
}

/** Rolls back a create whose submission another try made first, and carries what it made out of the transaction. */
class MadeByAnotherTry extends Error {
  constructor(readonly createdId: string) {
    super("Another try of this submission made it first.");
  }
}

/** The answer to a repeat whose first try's row is gone (removed since): nothing to show, and a reload gives the form a new id. */
export function removedSince(what: string): Failure {
  return failure("gone", `Your first try created this ${what}, and it has been removed since. Reload the page to create another.`);
}
