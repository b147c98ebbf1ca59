import { SideScroll } from "./side-scroll";

/** A column's heading; `isLabelHidden` for one whose cells show what they are (a row's buttons). */
type Column = { label: string; align?: "left" | "right"; isLabelHidden?: boolean };

/**
 * The house table: a bordered card with a quiet header; rows are the caller's <tr>s. `label` names
 * its box when a phone scrolls it sideways (the table's heading, usually).
 */
export function Table({ label, columns, children }: { label: string; columns: Column[]; children: React.ReactNode }) {
  return (
    <SideScroll label={label} className="rounded-lg border border-slate-200 bg-white">
      <table className="min-w-full divide-y divide-slate-200">
        <thead className="bg-slate-50 text-left text-xs font-medium uppercase tracking-wide text-slate-500">
          <tr>
            {columns.map((column) => (
              <th key={column.label} scope="col" className={`px-3 py-2 ${column.align === "right" ? "text-right" : ""}`}>
                {column.isLabelHidden ? <span className="sr-only">{column.label}</span> : column.label}
              </th>
            ))}
          </tr>
        </thead>
        <tbody className="divide-y divide-slate-100">{children}</tbody>
      </table>
    </SideScroll>
  );
}

export function EmptyState({ children }: { children: React.ReactNode }) {
  return <p className="rounded-lg border border-dashed border-slate-300 bg-white px-4 py-10 text-center text-slate-500">{children}</p>;
}
