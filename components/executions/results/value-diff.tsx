import { diffWords } from "diff";
import { formatFieldValue, isByteSize } from "@/lib/results/field-labels";

type Props = { field: string; before: string | null; after: string };

const removed = "rounded-sm bg-rose-100 text-rose-900 line-through decoration-rose-700";
const added = "rounded-sm bg-emerald-100 text-emerald-900 no-underline";

/** The value the item had: sizes as sizes, text with the words the change removes struck through. */
export function BeforeValue({ field, before, after }: Props) {
  if (before === null || before.trim() === "") return <span className="italic text-slate-600">Empty</span>;
  if (isByteSize(field)) return <span className="tabular-nums">{formatFieldValue(field, before)}</span>;
  return (
    <span className="whitespace-pre-wrap break-words">
      {diffWords(before, after).filter((part) => !part.added).map((part, n) => (part.removed ? <del key={n} className={removed}>{part.value}</del> : <span key={n}>{part.value}</span>))}
    </span>
  );
}

/** The value it gets: sizes as sizes, text with the words the change adds marked. */
export function AfterValue({ field, before, after }: Props) {
  if (isByteSize(field)) return <span className="font-medium tabular-nums">{formatFieldValue(field, after)}</span>;
  if (!before) return <span className="whitespace-pre-wrap break-words">{after}</span>;
  return (
    <span className="whitespace-pre-wrap break-words">
      {diffWords(before, after).filter((part) => !part.removed).map((part, n) => (part.added ? <ins key={n} className={added}>{part.value}</ins> : <span key={n}>{part.value}</span>))}
    </span>
  );
}
