import { lt, sql } from "drizzle-orm";
import { getDb } from "@/db/client";
import { formSubmissions } from "@/db/schema";

/**
 * How long a form's submission id is remembered. A try is sent again from the same open page
 * (a reload gives the form a new id), within minutes; a week covers a page left open over a
 * weekend.
 */
export const submissionsKeptForMs = 7 * 24 * 60 * 60 * 1000;

/**
 * Forgets submission ids older than `submissionsKeptForMs`, a few thousand rows per statement
 * so no statement holds many locks. Run by a scheduled function. What they made stays.
 */
export async function forgetOldSubmissions(now = new Date(), batchSize = 5_000): Promise<{ forgotten: number }> {
  const db = await getDb();
  const before = new Date(now.getTime() - submissionsKeptForMs);
  let forgotten = 0;
  for (;;) {
    const deleted = await db
      .delete(formSubmissions)
      .where(sql`ctid = any(array(${db.select({ ctid: sql`ctid` }).from(formSubmissions).where(lt(formSubmissions.createdAt, before)).limit(batchSize)}))`)
      .returning({ submissionId: formSubmissions.submissionId });
    forgotten += deleted.length;
    if (deleted.length < batchSize) return { forgotten };
  }
}
