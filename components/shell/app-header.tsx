import Link from "next/link";
import type { MemberRole } from "@/db/schema";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { formatCredits } from "@/components/ui/format";
import { SignOutButton } from "./sign-out-button";
import { WorkspaceSwitcher } from "./workspace-switcher";

type Props = {
  workspaceName: string;
  currentWorkspaceId: string;
  memberships: { workspaceId: string; workspaceName: string; role: MemberRole }[];
  balance: number;
  user: { name: string; email: string };
  role: MemberRole;
  unreadNotifications: number;
};

export function AppHeader({ workspaceName, currentWorkspaceId, memberships, balance, user, role, unreadNotifications }: Props) {
  return (
    <header className="flex h-14 items-center justify-between gap-4 border-b border-slate-200 bg-white px-6">
      <div className="flex items-center gap-3">
        <span className="font-semibold" data-testid="workspace-name">{workspaceName}</span>
        {memberships.length > 1 && <WorkspaceSwitcher currentWorkspaceId={currentWorkspaceId} memberships={memberships} />}
      </div>
      <div className="flex items-center gap-5">
        <Link href="/credits" className="text-slate-600 hover:text-slate-900" title="Workspace credit balance">
          <span className="font-medium tabular-nums text-slate-900" data-testid="credit-balance">{formatCredits(balance)}</span> credits
        </Link>
        <NotificationBell key={currentWorkspaceId} initialUnread={unreadNotifications} />
        <details className="relative">
          <summary className="cursor-pointer list-none rounded-md px-2 py-1 hover:bg-slate-100">
            {user.name} <span className="text-slate-400">▾</span>
          </summary>
          <div className="absolute right-0 z-20 mt-1 w-64 rounded-md border border-slate-200 bg-white p-3 shadow-lg">
            <p className="font-medium">{user.name}</p>
            <p className="text-slate-500">{user.email}</p>
            <p className="mt-1 text-xs text-slate-400">{role === "admin" ? "Workspace admin" : "Member"}</p>
            <div className="mt-3 border-t border-slate-100 pt-3">
              <SignOutButton />
            </div>
          </div>
        </details>
      </div>
    </header>
  );
}
