import Link from "next/link";
import type { ComponentProps } from "react";
import type { MemberRole } from "@/db/schema";
import { NotificationBell } from "@/components/notifications/notification-bell";
import { formatCredits } from "@/components/ui/format";
import { PopoverMenu } from "@/components/ui/popover-menu";
import { MainNav } from "./main-nav";
import { MobileNav } from "./mobile-nav";
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
  /** What the navigation links to: saved views and where Past executions opens. */
  nav: Omit<ComponentProps<typeof MainNav>, "isAdmin">;
};

export function AppHeader({ workspaceName, currentWorkspaceId, memberships, balance, user, role, unreadNotifications, nav }: Props) {
  return (
    <header className="flex h-14 items-center justify-between gap-3 border-b border-slate-200 bg-white px-4 sm:px-6">
      <div className="flex min-w-0 items-center gap-3">
        <MobileNav><MainNav isAdmin={role === "admin"} {...nav} /></MobileNav>
        <span className="truncate font-semibold" data-testid="workspace-name">{workspaceName}</span>
        {memberships.length > 1 && <div className="hidden sm:block"><WorkspaceSwitcher currentWorkspaceId={currentWorkspaceId} memberships={memberships} placement="header" /></div>}
      </div>
      <div className="flex shrink-0 items-center gap-3 sm:gap-5">
        <Link href="/credits" className="whitespace-nowrap text-slate-600 hover:text-slate-900" title="Workspace credit balance">
          <span className="font-medium tabular-nums text-slate-900" data-testid="credit-balance">{formatCredits(balance)}</span> credits
        </Link>
        <NotificationBell key={currentWorkspaceId} initialUnread={unreadNotifications} />
        {/* On a phone the button shows the name's initial, drawn by CSS: as text it would be a visible label that its accessible name does not hold. */}
        <PopoverMenu
          label={`Account: ${user.name}`}
          triggerClassName="flex items-center gap-1 rounded-md px-2 py-1 hover:bg-slate-100"
          trigger={<><span className="hidden max-w-40 truncate sm:inline">{user.name}</span><span aria-hidden data-initial={user.name.slice(0, 1).toUpperCase()} className="flex size-7 items-center justify-center rounded-full bg-indigo-100 text-xs font-semibold text-indigo-800 before:content-[attr(data-initial)] sm:hidden" /><span aria-hidden className="text-slate-500">▾</span></>}
          width={256}
          kind="panel"
        >
          <div className="px-3 py-2">
            <p className="font-medium">{user.name}</p>
            <p className="truncate text-slate-600">{user.email}</p>
            <p className="mt-1 text-xs text-slate-600">{role === "admin" ? "Workspace admin" : "Member"}</p>
          </div>
          {memberships.length > 1 && <div className="border-t border-slate-100 px-3 py-2 sm:hidden"><WorkspaceSwitcher currentWorkspaceId={currentWorkspaceId} memberships={memberships} placement="menu" /></div>}
          <div className="border-t border-slate-100 px-3 pb-1 pt-2">
            <SignOutButton />
          </div>
        </PopoverMenu>
      </div>
    </header>
  );
}
