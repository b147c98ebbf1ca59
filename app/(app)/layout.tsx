import { Suspense } from "react";
import { AppHeader } from "@/components/shell/app-header";
import { NavigationProgress } from "@/components/shell/navigation-progress";
import { Sidebar } from "@/components/shell/sidebar";
import { Toaster } from "@/components/ui/toaster";
import { requireSessionContext } from "@/lib/auth/session";
import { getBalance } from "@/lib/credits/balance";
import { countUnreadNotifications } from "@/lib/notifications/inbox";
import { listSavedViews, pastExecutionsHref, viewHref } from "@/lib/executions/saved-views";

// Every page here depends on who is signed in.
export const dynamic = "force-dynamic";

export default async function AppLayout({ children }: { children: React.ReactNode }) {
  const ctx = await requireSessionContext();
  const [balance, unreadNotifications, views] = await Promise.all([getBalance(ctx.workspaceId), countUnreadNotifications(ctx), listSavedViews(ctx)]);
  const nav = { views: views.map((view) => ({ id: view.id, name: view.name, href: viewHref(view), isShared: view.isShared, isDefault: view.isDefault })), pastExecutionsHref: pastExecutionsHref(views) };
  return (
    <div className="flex min-h-screen">
      <Suspense><NavigationProgress /></Suspense>
      <Sidebar isAdmin={ctx.role === "admin"} {...nav} />
      <div className="flex min-w-0 flex-1 flex-col">
        <AppHeader
          workspaceName={ctx.workspace.name}
          currentWorkspaceId={ctx.workspaceId}
          memberships={ctx.memberships}
          balance={balance}
          user={ctx.user}
          role={ctx.role}
          unreadNotifications={unreadNotifications}
          nav={nav}
        />
        <main className="min-w-0 flex-1 px-4 py-6 sm:px-6"><Toaster>{children}</Toaster></main>
      </div>
    </div>
  );
}
