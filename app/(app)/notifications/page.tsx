import type { Metadata } from "next";
import Link from "next/link";
import { MarkReadButton } from "@/components/notifications/mark-read-button";
import { NotificationLink } from "@/components/notifications/notification-link";
import { LocalTime } from "@/components/ui/local-time";
import { EmptyState } from "@/components/ui/table";
import { requireSessionContext } from "@/lib/auth/session";
import { listNotifications } from "@/lib/notifications/inbox";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Notifications" };

const kindLabels: Record<string, string> = {
  completion: "Completed", failure: "Failure", credit_threshold: "Credits", weekly_summary: "Weekly summary",
  share: "Shared with you", awaiting_approval: "Awaiting approval", low_balance: "Balance",
  apply_finished: "Applied",
};

export default async function NotificationsPage() {
  const ctx = await requireSessionContext();
  const notices = await listNotifications(ctx, 100);
  return (
    <div className="max-w-3xl space-y-4">
      <PageHeader title="Notifications" actions={notices.some((n) => !n.isRead) && <MarkReadButton />}>
        Your newest 100 in {ctx.workspace.name}. Choose what you get under <Link href="/settings/notifications" className="text-indigo-700 underline underline-offset-2 hover:text-indigo-900">Settings → Notifications</Link>.
      </PageHeader>
      {notices.length === 0 ? (
        <EmptyState>No notifications yet.</EmptyState>
      ) : (
        <ul className="divide-y divide-slate-100 rounded-lg border border-slate-200 bg-white">
          {notices.map((notice) => (
            <li key={notice.id} className="flex items-start gap-3 px-4 py-3" data-unread={notice.isRead ? undefined : "true"}>
              <span aria-hidden className={`mt-2 size-2 shrink-0 rounded-full ${notice.isRead ? "bg-transparent" : "bg-indigo-600"}`} />
              <div className="min-w-0 flex-1">
                <p className="text-xs uppercase tracking-wide text-slate-500">{kindLabels[notice.kind] ?? notice.kind} · <LocalTime iso={notice.createdAt.toISOString()} /></p>
                <NotificationLink id={notice.id} href={notice.href} className={`hover:underline ${notice.isRead ? "text-slate-700" : "font-medium text-slate-900"}`}>
                  {notice.title}
                </NotificationLink>
                <p className="text-slate-500">{notice.body}</p>
              </div>
              {!notice.isRead && <MarkReadButton id={notice.id} />}
            </li>
          ))}
        </ul>
      )}
    </div>
  );
}
