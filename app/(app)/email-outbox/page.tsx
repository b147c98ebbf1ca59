import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { LocalTime } from "@/components/ui/local-time";
import { EmptyState } from "@/components/ui/table";
import { requireSessionContext } from "@/lib/auth/session";
import { isSmtpConfigured, listOutbox, plannedRetry, type OutboxEmail } from "@/lib/notifications/email";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Email outbox" };

const statusLabels = { queued: "Queued", sent: "Sent", failed: "Failed", outbox: "In outbox" } as const;

export default async function EmailOutboxPage() {
  const ctx = await requireSessionContext();
  const result = await listOutbox(ctx, 100);
  if (!result.ok) forbidden();
  return (
    <div className="max-w-4xl space-y-4">
      <PageHeader title="Email outbox">
        {isSmtpConfigured()
          ? "Every email this workspace's notifications sent through the mail server, newest first."
          : "No mail server is configured (SMTP_URL), so the emails notifications would send wait here, newest first."}
      </PageHeader>
      {result.emails.length === 0 ? (
        <EmptyState>No emails yet.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white" aria-label="Emails">
          {result.emails.map((email) => <OutboxRow key={email.id} email={email} />)}
        </ul>
      )}
    </div>
  );
}

function OutboxRow({ email }: { email: OutboxEmail }) {
  const retry = plannedRetry(email);
  return (
    <li>
      <details className="px-4 py-2.5">
        <summary className="flex cursor-pointer flex-wrap items-baseline gap-x-3 sm:flex-nowrap">
          <span className="shrink-0 text-slate-600 sm:w-40"><LocalTime iso={email.createdAt.toISOString()} /></span>
          <span className="min-w-0 truncate sm:w-48 sm:shrink-0">{email.toAddress}</span>
          <span className="min-w-0 flex-1 truncate font-medium">{email.subject}</span>
          <span className={`shrink-0 text-xs ${email.status === "failed" ? "text-rose-700" : "text-slate-600"}`}>{retry ? "Retrying" : statusLabels[email.status]}</span>
        </summary>
        <pre className="mt-2 whitespace-pre-wrap rounded-md bg-slate-50 p-3 font-sans text-slate-700">{email.textBody}</pre>
        {retry && (
          <p className="mt-1 text-slate-600">
            The mail server turned it away for now; try {retry.attempt} of {retry.of} at <LocalTime iso={retry.at.toISOString()} />.
          </p>
        )}
        {email.error && <p className="mt-1 text-rose-700">{email.error}</p>}
      </details>
    </li>
  );
}
