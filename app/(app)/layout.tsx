import { AppHeader } from "@/components/shell/app-header";
import { Sidebar } from "@/components/shell/sidebar";
import { requireSessionContext } from "@/lib/auth/session";
import { getBalance } from "@/lib/credits/balance";
import { countUnreadNotifications } from "@/lib/notifications/inbox";

// Every page here depends on who is signed in.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireSessionContext();
  const balance = await getBalance(ctx.workspaceId);
  const unreadNotifications = await countUnreadNotifications(ctx);
  return (
    <div className="flex min-h-screen">
      <Sidebar isAdmin={ctx.role === "admin"} />
      <div className="flex min-w-0 flex-1 flex-col">
        <AppHeader
          workspaceName={ctx.workspace.name}
          currentWorkspaceId={ctx.workspaceId}
          memberships={ctx.memberships}
          balance={balance}
          user={ctx.user}
          role={ctx.role}
          unreadNotifications={unreadNotifications}
        />
        <main className="flex-1 px-6 py-6">{children}</main>
      </div>
    </div>
  );
}
