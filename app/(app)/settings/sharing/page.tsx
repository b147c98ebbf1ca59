import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { ExternalLinksToggle } from "@/components/settings/external-links-toggle";
import { requireSessionContext } from "@/lib/auth/session";
import { getExternalLinksAllowed } from "@/lib/shares/settings";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Sharing" };

export default async function SharingSettingsPage() {
  const ctx = await requireSessionContext();
  if (ctx.role !== "admin") forbidden();
  const isAllowed = await getExternalLinksAllowed(ctx);
  return (
    <div className="max-w-2xl space-y-4">
      <PageHeader title="Sharing">How executions of this workspace can be shared by link. Shares with members are always allowed.</PageHeader>
      <ExternalLinksToggle isAllowed={isAllowed} />
    </div>
  );
}
