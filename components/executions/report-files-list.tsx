import { LocalTime } from "@/components/ui/local-time";
import { csvPartLabels, type CsvPart } from "@/lib/exports/formats";
import { reportFileRetentionDays, type ReportFileSummary } from "@/lib/exports/report-files";

function describePart(file: ReportFileSummary): string {
  if (file.format === "pdf") return "PDF report";
  if (file.format === "json") return "JSON (everything)";
  return `CSV: ${csvPartLabels[file.part as CsvPart] ?? file.part}`;
}

function formatSize(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** "Downloads": the report files made from this execution, each downloadable again until it expires. */
export function ReportFilesList({ files }: { files: ReportFileSummary[] }) {
  return (
    <section className="rounded-lg border border-slate-200 bg-white" aria-labelledby="downloads-heading">
      <h2 id="downloads-heading" className="border-b border-slate-100 px-4 py-2 font-medium">Downloads</h2>
      {files.length === 0 ? (
        <p className="px-4 py-3 text-slate-500">Nothing downloaded yet. Files you download from this run are kept here for {reportFileRetentionDays} days.</p>
      ) : (
        <ul className="divide-y divide-slate-100">
          {files.map((file) => (
            <li key={file.id} data-testid="report-file" data-format={file.format} className="flex flex-wrap items-baseline gap-x-3 gap-y-1 px-4 py-2">
              <a href={`/api/report-files/${file.id}`} download className="font-mono text-xs text-indigo-700 underline underline-offset-2 hover:text-indigo-900">{file.fileName}</a>
              <span className="text-slate-600">{describePart(file)} · {formatSize(file.sizeBytes)}</span>
              <span className="text-xs text-slate-500">
                by {file.createdByName ?? "a former member"}, <LocalTime iso={file.createdAt.toISOString()} />
              </span>
              <span className="ml-auto text-xs text-slate-500" data-testid="report-file-expiry">
                Expires <LocalTime iso={file.expiresAt.toISOString()} />
              </span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
