/**
 * Email: every message is first a row of email_outbox, keyed by a dedupe key, so a retried
 * caller queues it once. With `SMTP_URL` set it is then sent through nodemailer; without it,
 * it stays in the outbox with status "outbox", which admins read in the app. A send the mail
 * server turned away for now (it was down, or answered 4xx) is tried again later by the
 * `retry-emails` cron (`listDueEmailRetries`), up to `maxSendAttempts` times; so is one whose
 * sender stopped before trying.
 */
import { and, asc, desc, eq, inArray, isNull, sql } from "drizzle-orm";
import nodemailer, { type Transporter } from "nodemailer";
import { getDb, type DbOrTx } from "@/db/client";
import { emailOutbox } from "@/db/schema";
import { isAdmin, type Ctx } from "@/lib/auth/context";
import { failure, type Outcome } from "@/lib/outcome";

export type EmailMessage = {
  workspaceId: string | null;
  toAddress: string;
  subject: string;
  textBody: string;
  htmlBody?: string | null;
  dedupeKey: string;
};

export function isSmtpConfigured(env: Record<string, string | undefined> = process.env): boolean {
  return Boolean(env.SMTP_URL);
}

function senderAddress(): string {
  return process.env.EMAIL_FROM || "Runlog <runlog@localhost>";
}

/** Links in emails need the app's public address (the one people open, behind any proxy). */
export function absoluteUrl(path: string): string {
  const base = process.env.NEXTAUTH_URL || process.env.AUTH_URL || "http://localhost:3000";
  return new URL(path, base).toString();
}

/**
 * Queues an email in the caller's transaction. A second call with the same dedupe key is a
 * no-op that answers null, so only the first caller goes on to send it.
 */
export async function queueEmail(tx: DbOrTx, message: EmailMessage): Promise<string | null> {
  const [queued] = await tx
    .insert(emailOutbox)
    .values({ ...message, htmlBody: message.htmlBody ?? null, status: isSmtpConfigured() ? "queued" : "outbox" })
    .onConflictDoNothing({ target: emailOutbox.dedupeKey })
    .returning({ id: emailOutbox.id });
  return queued?.id ?? null;
}

/**
 * Emails queued under these keys that nobody has tried to send yet (a retried caller picks
 * them up; one that failed for now waits for its scheduled retry).
 */
export async function listUnsentEmailIds(dedupeKeys: string[]): Promise<string[]> {
  if (dedupeKeys.length === 0) return [];
  const db = await getDb();
  const rows = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(inArray(emailOutbox.dedupeKey, dedupeKeys), eq(emailOutbox.status, "queued"), isNull(emailOutbox.sentAt), isNull(emailOutbox.nextAttemptAt)));
  return rows.map((row) => row.id);
}

export const maxSendAttempts = 5;
/** Minutes to wait after the 1st, 2nd, 3rd and 4th failed try. */
const retryDelayMinutes = [1, 5, 15, 60];

/** A queued email nobody tried this long after it was queued lost its sender (a crash, a redeploy). */
const orphanedAfterMs = 10 * 60_000;

/** Queued emails whose retry is due, or that their sender never tried, oldest due first. */
export async function listDueEmailRetries(now: Date, limit = 100): Promise<string[]> {
  const db = await getDb();
  const dueAt = sql`coalesce(${emailOutbox.nextAttemptAt}, ${emailOutbox.createdAt} + make_interval(secs => ${orphanedAfterMs / 1000}))`;
  const rows = await db
    .select({ id: emailOutbox.id })
    .from(emailOutbox)
    .where(and(eq(emailOutbox.status, "queued"), isNull(emailOutbox.sentAt), sql`${dueAt} <= ${now.toISOString()}::timestamptz`))
    .orderBy(asc(dueAt))
    .limit(limit);
  return rows.map((row) => row.id);
}

/**
 * Whether the mail server certainly did not take the message, so sending it again cannot
 * deliver it twice: it answered 4xx ("not now"), or the connection failed before any command.
 * A 5xx is final; a connection lost during DATA may have delivered it, so that is final too.
 */
function isTemporarySendFailure(error: unknown): boolean {
  const { responseCode, command } = (error ?? {}) as { responseCode?: number; command?: string };
  if (typeof responseCode === "number") return responseCode >= 400 && responseCode < 500;
  return typeof command === "string" && command !== "DATA";
}

export type DeliveryResult = "sent" | "outbox" | "failed" | "retry_later" | "already_handled";

/**
 * Sends one queued email at most once: the row is claimed (sent_at set while still queued)
 * by a conditional update before the SMTP handoff, so two workers or a retried step never
 * both send it. A send the server certainly did not take is released for a later retry
 * (`isTemporarySendFailure`); any other failure, or a crash after the claim, leaves it unsent
 * rather than risk a duplicate.
 */
export async function deliverEmail(emailId: string): Promise<DeliveryResult> {
  const db = await getDb();
  const smtpUrl = process.env.SMTP_URL;
  if (!smtpUrl) {
    const [parked] = await db
      .update(emailOutbox)
      .set({ status: "outbox" })
      .where(and(eq(emailOutbox.id, emailId), eq(emailOutbox.status, "queued"), isNull(emailOutbox.sentAt)))
      .returning({ id: emailOutbox.id });
    return parked ? "outbox" : "already_handled";
  }
  const [claimed] = await db
    .update(emailOutbox)
    .set({ sentAt: sql`now()` })
    .where(and(eq(emailOutbox.id, emailId), eq(emailOutbox.status, "queued"), isNull(emailOutbox.sentAt)))
    .returning();
  if (!claimed) return "already_handled";
  try {
    await transportFor(smtpUrl).sendMail({
      from: senderAddress(),
      to: claimed.toAddress,
      subject: claimed.subject,
      text: claimed.textBody,
      html: claimed.htmlBody ?? undefined,
      // The same id on every attempt lets a receiving server drop a duplicate too.
      messageId: `<${claimed.id}@runlog>`,
    });
    await db.update(emailOutbox).set({ status: "sent", attempts: claimed.attempts + 1, nextAttemptAt: null, error: null }).where(eq(emailOutbox.id, emailId));
    return "sent";
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const attempts = claimed.attempts + 1;
    if (isTemporarySendFailure(error) && attempts < maxSendAttempts) {
      const retryAt = sql`now() + make_interval(mins => ${retryDelayMinutes[attempts - 1]!})`;
      await db.update(emailOutbox).set({ sentAt: null, attempts, nextAttemptAt: retryAt, error: message }).where(eq(emailOutbox.id, emailId));
      return "retry_later";
    }
    await db.update(emailOutbox).set({ status: "failed", attempts, nextAttemptAt: null, error: message }).where(eq(emailOutbox.id, emailId));
    return "failed";
  }
}

const transports = new Map<string, Transporter>();

function transportFor(smtpUrl: string): Transporter {
  let transport = transports.get(smtpUrl);
  if (!transport) {
    transport = nodemailer.createTransport(smtpUrl);
    transports.set(smtpUrl, transport);
  }
  return transport;
}

export type OutboxEmail = typeof emailOutbox.$inferSelect;

/** The next try of an email the mail server turned away for now, or null when none is planned. */
export function plannedRetry(email: OutboxEmail): { attempt: number; of: number; at: Date } | null {
  if (email.status !== "queued" || !email.nextAttemptAt) return null;
  return { attempt: email.attempts + 1, of: maxSendAttempts, at: email.nextAttemptAt };
}

/** The workspace's emails, newest first: what was sent, and what waits in the outbox. Admins only. */
export async function listOutbox(ctx: Ctx, limit = 100): Promise<Outcome<{ emails: OutboxEmail[] }>> {
  if (!isAdmin(ctx)) return failure("forbidden", "Only workspace admins can read the email outbox.");
  const db = await getDb();
  const emails = await db
    .select()
    .from(emailOutbox)
    .where(eq(emailOutbox.workspaceId, ctx.workspaceId))
    .orderBy(desc(emailOutbox.createdAt), desc(emailOutbox.id))
    .limit(limit);
  return { ok: true, emails };
}

/** Text to HTML with nothing interpreted: the HTML part of an email is its text, escaped, with links. */
export function textToHtml(text: string): string {
  const escaped = text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
  const linked = escaped.replace(/https?:\/\/[^\s<]+/g, (url) => `<a href="${url}">${url}</a>`);
  return `<div style="font-family: system-ui, sans-serif; white-space: pre-wrap">${linked}</div>`;
}
