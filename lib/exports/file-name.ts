import type { ExportFormat } from "./formats";

/**
 * A download's file name: `runlog-<agent>-<yyyy-mm-dd>-<short id>.<ext>`, the day the run
 * started (UTC) and the first eight characters of its ID, so files sort by agent and day and
 * still point at one run. A table other than the format's main one adds its name
 * (`…-<short id>-log.csv`), so two CSVs of one run never share a name.
 */
export function reportFileName(input: { agentId: string; startedAt: Date; executionId: string; format: ExportFormat; part?: string | null }): string {
  const agent = input.agentId.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "") || "agent";
  const day = input.startedAt.toISOString().slice(0, 10);
  const shortId = input.executionId.replace(/-/g, "").slice(0, 8);
  const suffix = input.part ? `-${input.part.replace(/_/g, "-")}` : "";
  return `runlog-${agent}-${day}-${shortId}${suffix}.${input.format}`;
}

/** A list's CSV (`executions`, `credits`, `audit-log`): `runlog-<list>-<yyyy-mm-dd>.csv`, the day it was made. */
export function listFileName(list: string, now: Date): string {
  return `runlog-${list}-${now.toISOString().slice(0, 10)}.csv`;
}

/** A Content-Disposition header that every browser reads, for an ASCII or any other name. */
export function attachmentDisposition(fileName: string): string {
  const ascii = fileName.replace(/[^\x20-\x7e]|["\\]/g, "_");
  return `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(fileName)}`;
}
