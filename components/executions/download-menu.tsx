"use client";

import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { PopoverMenu, menuItemClass } from "@/components/ui/popover-menu";
import { downloadOptions } from "@/lib/exports/formats";

/**
 * A run's Download menu: the formats this agent's runs can be downloaded as (for a run
 * without results, its record and log only). Each entry is a plain link, so the browser
 * streams the file to disk; the page then refreshes so the new file shows under Downloads.
 */
export function DownloadMenu({ executionId, agentId, basePath, hasResults = true }: { executionId: string; agentId: string; basePath?: string; hasResults?: boolean }) {
  const router = useRouter();
  return (
    <PopoverMenu label="Download" trigger={<>Download <span aria-hidden>▾</span></>} triggerClassName={buttonClass("secondary")} align="start">
      {downloadOptions(executionId, agentId, basePath, hasResults).map((option) => (
        <a
          key={option.href}
          role="menuitem"
          href={option.href}
          download
          className={menuItemClass}
          onClick={() => {
            for (const ms of [1500, 5000]) setTimeout(() => router.refresh(), ms);
          }}
        >
          {option.label}
        </a>
      ))}
    </PopoverMenu>
  );
}
