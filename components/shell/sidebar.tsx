import { NavLink } from "./nav-link";

export function Sidebar({ isAdmin }: { isAdmin: boolean }) {
  return (
    <aside className="sticky top-0 hidden h-screen w-56 shrink-0 flex-col border-r border-slate-200 bg-white px-3 py-4 md:flex">
      <div className="px-2 pb-5 text-base font-semibold tracking-tight">Runlog</div>
      <nav className="space-y-5" aria-label="Main">
        <div>
          <p className="px-2 pb-1 text-xs font-medium uppercase tracking-wide text-slate-400">AI Agents</p>
          <NavLink href="/agents">Agents</NavLink>
          <NavLink href="/executions">Past executions</NavLink>
          <NavLink href="/shared">Shared with me</NavLink>
          <NavLink href="/workflows">Workflows</NavLink>
        </div>
        <div>
          <p className="px-2 pb-1 text-xs font-medium uppercase tracking-wide text-slate-400">Workspace</p>
          <NavLink href="/credits">Credits</NavLink>
          {isAdmin && <NavLink href="/audit">Audit log</NavLink>}
          {isAdmin && <NavLink href="/email-outbox">Email outbox</NavLink>}
          {isAdmin && <NavLink href="/archived">Archived</NavLink>}
        </div>
        <div>
          <p className="px-2 pb-1 text-xs font-medium uppercase tracking-wide text-slate-400">Settings</p>
          <NavLink href="/settings/notifications">Notifications</NavLink>
          {isAdmin && <NavLink href="/settings/connection">Store connection</NavLink>}
          {isAdmin && <NavLink href="/settings/sharing">Sharing</NavLink>}
          {isAdmin && <NavLink href="/settings/retention">Retention</NavLink>}
        </div>
      </nav>
    </aside>
  );
}
