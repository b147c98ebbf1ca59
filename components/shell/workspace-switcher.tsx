import { switchWorkspace } from "@/app/(app)/actions";
import type { MemberRole } from "@/db/schema";

export function WorkspaceSwitcher({
  currentWorkspaceId,
  memberships,
}: {
  currentWorkspaceId: string;
  memberships: { workspaceId: string; workspaceName: string; role: MemberRole }[];
}) {
  return (
    <form action={switchWorkspace} className="flex items-center gap-1.5">
      <label htmlFor="workspaceId" className="sr-only">Workspace</label>
      <select id="workspaceId" name="workspaceId" defaultValue={currentWorkspaceId}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
        {memberships.map((m) => (
          <option key={m.workspaceId} value={m.workspaceId}>{m.workspaceName}</option>
        ))}
      </select>
      <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-600 hover:bg-slate-50">Switch</button>
    </form>
  );
}
