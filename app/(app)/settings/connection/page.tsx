import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { ConnectionHealthForm } from "@/components/settings/connection-health-form";
import { requireSessionContext } from "@/lib/auth/session";
import { getWorkspaceConnection } from "@/lib/platforms";

export const metadata: Metadata = { title: "Store connection" };

export default async function ConnectionSettingsPage() {
  const ctx = await requireSessionContext();
  if (ctx.role !== "admin") forbidden();
  const connection = await getWorkspaceConnection(ctx.workspaceId);
  return (
    <div className="max-w-2xl space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Store connection</h1>
        <p className="text-slate-500">
          {connection ? connection.name : "No store connected."} The demo store lets you set its health to see how agents meet a lost
          connection, a rate limit or a slow platform.
        </p>
      </div>
      {connection && (
        <ConnectionHealthForm health={connection.health} rateLimitPerSecond={connection.rateLimitPerSecond} latencyMs={connection.latencyMs} />
      )}
    </div>
  );
}
