import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { listQueryString, type Cursor, type ListFilter } from "@/lib/executions/list-filter";

/** Newer / older links by cursor; the filter rides along. */
export function Pager({ filter, prev, next }: { filter: ListFilter; prev: Cursor | null; next: Cursor | null }) {
  const disabled = `${buttonClass("secondary")} pointer-events-none opacity-50`;
  return (
    <nav aria-label="Pages" className="flex items-center justify-end gap-2">
      {prev ? <Link href={`/executions${listQueryString(filter)}`} className={buttonClass("ghost")}>Newest</Link> : null}
      {prev ? <Link rel="prev" href={`/executions${listQueryString(filter, { before: prev })}`} className={buttonClass("secondary")}>← Newer</Link> : <span aria-disabled="true" className={disabled}>← Newer</span>}
      {next ? <Link rel="next" href={`/executions${listQueryString(filter, { after: next })}`} className={buttonClass("secondary")}>Older →</Link> : <span aria-disabled="true" className={disabled}>Older →</span>}
    </nav>
  );
}
