import type { Metadata } from "next";
import { NotificationSettingsForm } from "@/components/notifications/notification-settings-form";
import { requireSessionContext } from "@/lib/auth/session";
import { isSmtpConfigured } from "@/lib/notifications/email";
import { getNotificationPreferences } from "@/lib/notifications/settings";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Notifications" };

export default async function NotificationSettingsPage() {
  const ctx = await requireSessionContext();
  const preferences = await getNotificationPreferences(ctx);
  return (
    <div className="max-w-2xl space-y-4">
      <PageHeader title="Notifications">
        What Runlog tells you about runs in {ctx.workspace.name}. Notices appear under the bell; emails go to {ctx.user.email}
        {isSmtpConfigured() ? "." : " (no mail server is configured here, so they wait in the workspace's email outbox)."}
      </PageHeader>
      <NotificationSettingsForm preferences={preferences} isAdmin={ctx.role === "admin"} />
    </div>
  );
}
