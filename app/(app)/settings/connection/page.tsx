import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { ConnectionHealthForm } from "@/components/settings/connection-health-form";
import { requireSessionContext } from "@/lib/auth/session";
import { getWorkspaceConnection } from "@/lib/platforms";
import { PageHeader } from "@/components/ui/page-header";

export const metadata: Metadata = { title: "Store connection" };

export default async function ConnectionSettingsPage() {
  const ctx = await requireSessionContext();
  if (ctx.role !== "admin") forbidden();
  const connection = await getWorkspaceConnection(ctx.workspaceId);
  return (
    <div className="max-w-2xl space-y-4">
      <PageHeader title="Store connection">
        {connection ? connection.name : "No store connected."} The demo store lets you set its health to see how agents meet a lost
        connection, a rate limit or a slow platform.
      </PageHeader>
      {connection && (
        <ConnectionHealthForm health={connection.health} rateLimitPerSecond={connection.rateLimitPerSecond} latencyMs={connection.latencyMs} />
      )}
    </div>
  );
}
