"use client";

import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { downloadOptions } from "@/lib/exports/formats";

/**
 * The detail page's Download menu: the formats this agent's runs can be downloaded as. Each
 * entry is a plain link, so the browser streams the file to disk; the page then refreshes so
 * the new file shows under "Downloads".
 */
export function DownloadMenu({ executionId, agentId, basePath }: { executionId: string; agentId: string; basePath?: string }) {
  const router = useRouter();
  const item = "block w-full px-3 py-1.5 text-left hover:bg-slate-100";
  return (
    <details className="relative">
      <summary className={`${buttonClass("secondary")} cursor-pointer list-none [&::-webkit-details-marker]:hidden`}>Download ▾</summary>
      <div role="menu" aria-label="Download" className="absolute left-0 z-10 mt-1 w-56 rounded-md border border-slate-200 bg-white py-1 text-sm shadow-lg">
        {downloadOptions(executionId, agentId, basePath).map((option) => (
          <a
            key={option.href}
            role="menuitem"
            href={option.href}
            download
            className={item}
            onClick={(e) => {
              e.currentTarget.closest("details")?.removeAttribute("open");
              for (const ms of [1500, 5000]) setTimeout(() => router.refresh(), ms);
            }}
          >
            {option.label}
          </a>
        ))}
      </div>
    </details>
  );
}
