import type { Recommendation } from "@/db/schema";
import { formatNumber } from "@/components/ui/format";
import { maxGeneratedTextLength } from "@/lib/results/generated";
import type { GeneratedText } from "@/lib/results/queries";
import { GeneratedTextEditor } from "./generated-text-editor";
import { PriorityBadge } from "./priority-badge";
import { EmptyResult } from "./result-card";

const statusLabels: Record<Recommendation["status"], string> = {
  pending: "Not applied yet",
  approved: "Approved, not applied yet",
  rejected: "Rejected",
  applied: "Applied to the store",
  failed: "Could not be applied",
  reverted: "Reverted",
};

/**
 * A generated-content block: per product, the text it had and the text that will apply,
 * editable by those who may apply until it is on the store.
 */
export function GeneratedContentView({ texts, total, canEdit }: { texts: GeneratedText[]; total: number; canEdit: boolean }) {
  if (texts.length === 0) return <EmptyResult>No new text was written in this run.</EmptyResult>;
  return (
    <div className="space-y-3">
      {!canEdit && <p className="text-sm text-slate-500">You can read these texts; editing them is for the person who started this run, admins, and people it was shared with to apply.</p>}
      {total > texts.length && (
        <p className="text-sm text-slate-500">Showing the first {formatNumber(texts.length)} of {formatNumber(total)}, most important first.</p>
      )}
      <ul className="space-y-3">
        {texts.map((text) => <GeneratedTextRow key={text.id} text={text} canEdit={canEdit} />)}
      </ul>
    </div>
  );
}

function GeneratedTextRow({ text, canEdit }: { text: GeneratedText; canEdit: boolean }) {
  const isEdited = text.editedValue !== null;
  const current = text.editedValue ?? text.afterValue;
  return (
    <li className="rounded-md border border-slate-200 p-3">
      <div className="flex flex-wrap items-center gap-2">
        <p className="font-medium">{text.itemLabel}</p>
        <PriorityBadge priority={text.priority} />
        <span className="text-sm text-slate-500">{fieldLabel(text.field)} · {statusLabels[text.status]}</span>
      </div>
      {text.status === "failed" && text.applyError && <p className="mt-1 text-sm text-rose-700">{text.applyError}</p>}
      <div className="mt-2 grid gap-3 md:grid-cols-2">
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">Before</p>
          <p className="mt-1 whitespace-pre-line text-slate-600">{text.beforeValue?.trim() ? text.beforeValue : <span className="italic text-slate-400">Empty</span>}</p>
        </div>
        <div>
          <p className="text-xs font-medium uppercase tracking-wide text-slate-500">{isEdited ? "Edited" : "Generated"}</p>
          <GeneratedTextEditor
            recommendationId={text.id}
            label={`${fieldLabel(text.field)} of ${text.itemLabel}`}
            text={current}
            isEditable={canEdit && text.status !== "applied"}
            maxLength={maxGeneratedTextLength}
          />
          {isEdited && (
            <details className="mt-2 text-sm text-slate-500">
              <summary className="cursor-pointer">Text as generated</summary>
              <p className="mt-1 whitespace-pre-line">{text.afterValue}</p>
            </details>
          )}
        </div>
      </div>
    </li>
  );
}

function fieldLabel(field: string): string {
  return field.replace(/_/g, " ").replace(/^./, (c) => c.toUpperCase());
}
