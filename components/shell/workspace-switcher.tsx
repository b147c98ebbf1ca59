import { switchWorkspace } from "@/app/(app)/actions";
import type { MemberRole } from "@/db/schema";
import { RedirectingForm } from "@/components/ui/redirecting-form";

/** A sentence under the header's switcher floats (the header keeps its height); in the account menu it takes its own line. */
const failureClass = {
  header: "absolute left-0 top-full z-20 mt-1 w-64 rounded-md border border-rose-200 bg-white px-2 py-1 text-xs text-rose-700 shadow",
  menu: "basis-full text-xs text-rose-700",
};

export function WorkspaceSwitcher({
  currentWorkspaceId,
  memberships,
  placement,
}: {
  currentWorkspaceId: string;
  memberships: { workspaceId: string; workspaceName: string; role: MemberRole }[];
  placement: keyof typeof failureClass;
}) {
  return (
    <RedirectingForm action={switchWorkspace} className="relative flex flex-wrap items-center gap-1.5" failureClassName={failureClass[placement]}>
      <label htmlFor={`workspaceId-${placement}`} className="sr-only">Workspace</label>
      <select id={`workspaceId-${placement}`} name="workspaceId" defaultValue={currentWorkspaceId}
        className="rounded-md border border-slate-300 bg-white px-2 py-1 text-sm">
        {memberships.map((m) => (
          <option key={m.workspaceId} value={m.workspaceId}>{m.workspaceName}</option>
        ))}
      </select>
      <button type="submit" className="rounded-md border border-slate-300 px-2 py-1 text-xs text-slate-600 hover:bg-slate-50">Switch</button>
    </RedirectingForm>
  );
}
