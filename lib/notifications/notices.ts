import type { DbOrTx } from "@/db/client";
import { notifications, type Notification } from "@/db/schema";
import { queueEmail, textToHtml } from "./email";

/** One thing to tell one person: in the app, and by email when `email` is given. */
export type Notice = {
  workspaceId: string;
  userId: string;
  kind: Notification["kind"];
  title: string;
  body: string;
  executionId?: string | null;
  href?: string | null;
  /** One notice per event and person: the same key twice records nothing new. */
  dedupeKey: string;
  email?: { toAddress: string; subject: string; text: string } | null;
};

export function emailKeyFor(notice: Pick<Notice, "dedupeKey">): string {
  return `email:${notice.dedupeKey}`;
}

/**
 * Records a notice once per dedupe key, in the caller's transaction: the in-app notification
 * and, when it has one, its email in the outbox. Answers whether the notification is new.
 */
export async function recordNotice(tx: DbOrTx, notice: Notice): Promise<boolean> {
  const [created] = await tx
    .insert(notifications)
    .values({
      workspaceId: notice.workspaceId, userId: notice.userId, kind: notice.kind, title: notice.title, body: notice.body,
      executionId: notice.executionId ?? null, href: notice.href ?? null, dedupeKey: notice.dedupeKey,
    })
    .onConflictDoNothing({ target: notifications.dedupeKey })
    .returning({ id: notifications.id });
  if (notice.email) {
    await queueEmail(tx, {
      workspaceId: notice.workspaceId, toAddress: notice.email.toAddress, subject: notice.email.subject,
      textBody: notice.email.text, htmlBody: textToHtml(notice.email.text), dedupeKey: emailKeyFor(notice),
    });
  }
  return Boolean(created);
}
