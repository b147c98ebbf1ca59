import Link from "next/link";

const tabs = [
  { href: "/executions", label: "All executions" },
  { href: "/shared", label: "Shared with me" },
] as const;

/** The history's two views. */
export function HistoryTabs({ current }: { current: (typeof tabs)[number]["href"] }) {
  return (
    <nav aria-label="History views" className="flex gap-1 border-b border-slate-200">
      {tabs.map((tab) => (
        <Link
          key={tab.href}
          href={tab.href}
          aria-current={tab.href === current ? "page" : undefined}
          className={`-mb-px border-b-2 px-3 py-2 font-medium ${tab.href === current ? "border-indigo-600 text-indigo-700" : "border-transparent text-slate-500 hover:text-slate-800"}`}
        >
          {tab.label}
        </Link>
      ))}
    </nav>
  );
}
