import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { LocalTime } from "@/components/ui/local-time";
import { listAuditLog } from "@/lib/audit/queries";
import { requireSessionContext } from "@/lib/auth/session";

export const metadata: Metadata = { title: "Audit log" };

export default async function AuditLogPage() {
  const ctx = await requireSessionContext();
  const result = await listAuditLog(ctx, 200);
  if (!result.ok) forbidden();
  return (
    <div className="space-y-4">
      <div>
        <h1 className="text-xl font-semibold tracking-tight">Audit log</h1>
        <p className="text-slate-500">Who did what in this workspace, newest first.</p>
      </div>
      <div className="overflow-x-auto rounded-lg border border-slate-200 bg-white">
        <table className="min-w-full divide-y divide-slate-200">
          <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
            <tr>
              <th className="px-3 py-2">When</th>
              <th className="px-3 py-2">Who</th>
              <th className="px-3 py-2">Action</th>
              <th className="px-3 py-2">Target</th>
            </tr>
          </thead>
          <tbody className="divide-y divide-slate-100">
            {result.rows.map((row) => (
              <tr key={row.id}>
                <td className="px-3 py-1.5"><LocalTime iso={row.at.toISOString()} /></td>
                <td className="px-3 py-1.5">{row.actorName ?? "System"}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{row.action}</td>
                <td className="px-3 py-1.5 font-mono text-xs">{row.targetType}{row.targetId ? ` ${row.targetId}` : ""}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </div>
  );
}
