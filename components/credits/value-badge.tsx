import type { ValueLabel } from "@/lib/credits/insights";

const styles: Record<ValueLabel, { text: string; className: string }> = {
  high: { text: "High value", className: "bg-emerald-50 text-emerald-700 ring-emerald-200" },
  moderate: { text: "Moderate", className: "bg-slate-50 text-slate-700 ring-slate-200" },
  low: { text: "Low value", className: "bg-amber-50 text-amber-800 ring-amber-200" },
  unrated: { text: "Not rated", className: "bg-white text-slate-500 ring-slate-200" },
};

export function ValueBadge({ label }: { label: ValueLabel }) {
  const style = styles[label];
  return <span className={`inline-flex whitespace-nowrap rounded-full px-2 py-0.5 text-xs font-medium ring-1 ring-inset ${style.className}`}>{style.text}</span>;
}
