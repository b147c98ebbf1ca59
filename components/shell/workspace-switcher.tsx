import { switchWorkspace } from "@/app/(app)/actions";
import type { MemberRole } from "@/db/schema";
import { RedirectingForm } from "@/components/ui/redirecting-form";

export function WorkspaceSwitcher({
  currentWorkspaceId,
  memberships,
}: {
  currentWorkspaceId: string;
  memberships: { workspaceId: string; workspaceName: string; role: MemberRole }[];
}) {
  return (
    <RedirectingForm action={switchWorkspace} className="relative flex items-center gap-1.5"
      failureClassName="absolute left-0 top-full z-20 mt-1 w-64 rounded-md border border-rose-200 bg-white px-2 py-1 text-xs text-rose-700 shadow">
      <label htmlFor="workspaceId" className="sr-only">Workspace</label>
      <select id="workspaceId" name="workspaceId" defaultValue={currentWorkspaceId}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
        {memberships.map((m) => (
          <option key={m.workspaceId} value={m.workspaceId}>{m.workspaceName}</option>
        ))}
      </select>
      <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-600 hover:bg-slate-50">Switch</button>
    </RedirectingForm>
  );
}
