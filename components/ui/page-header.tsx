import Link from "next/link";

type Props = {
  title: React.ReactNode;
  /** The sentence under the title that says what the page holds. */
  children?: React.ReactNode;
  /** A link back to the page this one belongs to: "← Workflows". */
  back?: { href: string; label: string };
  /** Controls beside the title (export, period), pushed to the right and wrapped below on a phone. */
  actions?: React.ReactNode;
};

/** A page's title, what it holds, and its page-wide controls: the same on every page. */
export function PageHeader({ title, children, back, actions }: Props) {
  const heading = (
    <div>
      {back && <Link href={back.href} className="text-slate-500 hover:text-slate-800">← {back.label}</Link>}
      <h1 className={back ? "mt-2 text-xl font-semibold tracking-tight" : "text-xl font-semibold tracking-tight"}>{title}</h1>
      {children && <p className="text-slate-500">{children}</p>}
    </div>
  );
  if (!actions) return heading;
  return (
    <div className="flex flex-wrap items-end justify-between gap-3">
      {heading}
      {actions}
    </div>
  );
}
