import Link from "next/link";
import { buttonClass } from "@/components/ui/button";
import { formatNumber } from "@/components/ui/format";
import type { ItemIssuesPage } from "@/lib/executions/log";
import { itemIssuesPageQuery, keptByItemIssuesSearch } from "@/lib/executions/log-request";

type Props = {
  page: ItemIssuesPage;
  text: string | null;
  /** Every item of the run that failed, before any search. */
  failedCount: number;
  basePath: string;
  query: URLSearchParams;
};

const anchor = "#items-with-issues";

/**
 * The items the agent could not work on, each with why, searchable by name, reference or
 * reason. A plain GET form: the search lives in the URL and works without JavaScript.
 */
export function ItemIssues({ page, text, failedCount, basePath, query }: Props) {
  const disabled = `${buttonClass("secondary")} pointer-events-none opacity-50`;
  const isFirstPage = !query.has("issuesAfter");
  return (
    <div id="items-with-issues" className="scroll-mt-4 space-y-2">
      <div className="flex flex-wrap items-end justify-between gap-2">
        <h3 className="font-medium">
          Items with issues <span className="tabular-nums text-slate-500">{formatNumber(failedCount)}</span>
        </h3>
        {failedCount > 0 && (
          <form role="search" aria-label="Search items with issues" action={`${basePath}${anchor}`} className="flex items-center gap-2">
            {keptByItemIssuesSearch(query).map(([key, value], n) => <input key={`${key}-${n}`} type="hidden" name={key} value={value} />)}
            <input
              type="search"
              name="issues"
              defaultValue={text ?? ""}
              placeholder="Item or reason"
              aria-label="Item or reason contains"
              className="w-56 rounded-md border border-slate-300 bg-white px-2 py-1.5"
            />
            <button type="submit" className={buttonClass("secondary")}>Search</button>
            {text && <Link href={`${basePath}${itemIssuesPageQuery(new URLSearchParams(keptByItemIssuesSearch(query)), null)}${anchor}`} className={buttonClass("ghost")}>Clear</Link>}
          </form>
        )}
      </div>

      {failedCount === 0 ? (
        <p className="text-slate-500">None: no item failed on its own.</p>
      ) : page.items.length === 0 ? (
        <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-slate-500">No item with issues matches “{text}”.</p>
      ) : (
        <>
          {text && <p className="text-sm text-slate-500">{formatNumber(page.matching)} of {formatNumber(failedCount)} match “{text}”.</p>}
          <ul className="divide-y divide-slate-100 rounded-md border border-slate-200" aria-label="Items with issues">
            {page.items.map((item) => (
              <li key={item.id} className="grid gap-x-4 px-3 py-2 sm:grid-cols-[minmax(0,2fr)_minmax(0,3fr)]">
                <div className="min-w-0">
                  <p className="truncate font-medium" title={item.itemLabel}>{item.itemLabel}</p>
                  <p className="truncate text-xs text-slate-500">{item.itemType} · {item.itemRef}</p>
                </div>
                <p className="text-amber-800">{item.reason ?? "No reason was recorded."}</p>
              </li>
            ))}
          </ul>
          {(page.next !== null || !isFirstPage) && (
            <nav aria-label="Pages of items with issues" className="flex justify-end gap-2">
              {!isFirstPage && <Link href={`${basePath}${itemIssuesPageQuery(query, null)}${anchor}`} className={buttonClass("ghost")}>First</Link>}
              {page.next !== null ? <Link rel="next" href={`${basePath}${itemIssuesPageQuery(query, page.next)}${anchor}`} className={buttonClass("secondary")}>More →</Link> : <span aria-disabled="true" className={disabled}>More →</span>}
            </nav>
          )}
        </>
      )}
    </div>
  );
}
