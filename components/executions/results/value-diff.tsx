import { diffWords } from "diff";

/** Before → after as a word diff: removed words struck through in red, added ones in green. */
export function ValueDiff({ before, after }: { before: string | null; after: string }) {
  if (!before) return <ins className="bg-emerald-50 text-emerald-800 no-underline">{after}</ins>;
  return (
    <span className="whitespace-pre-wrap break-words">
      {diffWords(before, after).map((part, n) =>
        part.added ? <ins key={n} className="bg-emerald-50 text-emerald-800 no-underline">{part.value}</ins>
        : part.removed ? <del key={n} className="bg-rose-50 text-rose-700">{part.value}</del>
        : <span key={n}>{part.value}</span>,
      )}
    </span>
  );
}
