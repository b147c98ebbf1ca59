"use client";

import { Suspense } from "react";
import { NavLink } from "./nav-link";
import { SavedViewLinks, type SidebarView } from "./saved-view-links";

const groupLabel = "px-2 pb-1 text-xs font-medium uppercase tracking-wide text-slate-600";

/** The app's navigation, shown in the sidebar on wide screens and behind the menu button on a phone. */
export function MainNav({ isAdmin, views = [], pastExecutionsHref = "/executions" }: { isAdmin: boolean; views?: SidebarView[]; pastExecutionsHref?: string }) {
  return (
    <nav className="space-y-5" aria-label="Main">
      <div>
        <p className={groupLabel}>AI Agents</p>
        <NavLink href="/agents">Agents</NavLink>
        <NavLink href={pastExecutionsHref}>Past executions</NavLink>
        <Suspense><SavedViewLinks views={views} /></Suspense>
        <NavLink href="/shared">Shared with me</NavLink>
        <NavLink href="/workflows">Workflows</NavLink>
      </div>
      <div>
        <p className={groupLabel}>Workspace</p>
        <NavLink href="/credits">Credits</NavLink>
        {isAdmin && <NavLink href="/audit">Audit log</NavLink>}
        {isAdmin && <NavLink href="/email-outbox">Email outbox</NavLink>}
        {isAdmin && <NavLink href="/archived">Archived</NavLink>}
      </div>
      <div>
        <p className={groupLabel}>Settings</p>
        <NavLink href="/settings/account">Account</NavLink>
        <NavLink href="/settings/notifications">Notifications</NavLink>
        <NavLink href="/settings/api-tokens">API tokens</NavLink>
        {isAdmin && <NavLink href="/settings/connection">Store connection</NavLink>}
        {isAdmin && <NavLink href="/settings/sharing">Sharing</NavLink>}
        {isAdmin && <NavLink href="/settings/retention">Retention</NavLink>}
        {isAdmin && <NavLink href="/settings/webhooks">Webhooks</NavLink>}
      </div>
      <div>
        <NavLink href="/help">Help and support</NavLink>
      </div>
    </nav>
  );
}
