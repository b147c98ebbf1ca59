import type { Metadata } from "next";
import { forbidden } from "next/navigation";
import { LocalTime } from "@/components/ui/local-time";
import { Table } from "@/components/ui/table";
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
      <Table columns={[{ label: "When" }, { label: "Who" }, { label: "Action" }, { label: "Target" }]}>
        {result.rows.map((row) => (
          <tr key={row.id}>
            <td className="px-3 py-1.5"><LocalTime iso={row.at.toISOString()} /></td>
            <td className="px-3 py-1.5">{row.actorName ?? "System"}</td>
            <td className="px-3 py-1.5 font-mono text-xs">{row.action}</td>
            <td className="px-3 py-1.5 font-mono text-xs">{row.targetType}{row.targetId ? ` ${row.targetId}` : ""}</td>
          </tr>
        ))}
      </Table>
    </div>
  );
}
