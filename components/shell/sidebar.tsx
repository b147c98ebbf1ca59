import type { ComponentProps } from "react";
import { MainNav } from "./main-nav";

export function Sidebar(nav: ComponentProps<typeof MainNav>) {
  return (
    <aside className="sticky top-0 hidden h-screen w-56 shrink-0 flex-col overflow-y-auto border-r border-slate-200 bg-white px-3 py-4 md:flex">
      <div className="px-2 pb-5 text-base font-semibold tracking-tight">Runlog</div>
      <MainNav {...nav} />
    </aside>
  );
}
