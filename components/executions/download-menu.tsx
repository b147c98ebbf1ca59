"use client";

import { useRouter } from "next/navigation";
import { buttonClass } from "@/components/ui/button";
import { PopoverMenu, menuItemClass } from "@/components/ui/popover-menu";
import { downloadOptions, type RunContents } from "@/lib/exports/formats";

/**
 * A run's Download menu: the files this run can be downloaded as, by what it holds (a run
 * that failed before producing anything: its record and log only). Each entry is a plain link, so the browser
 * streams the file to disk; the run's page then refreshes so the new file shows under Downloads
 * (a link's page, `basePath` given, has no Downloads list: each refresh would count as an open).
 */
export function DownloadMenu({ executionId, agentId, contents, basePath }: { executionId: string; agentId: string; contents: RunContents; basePath?: string }) {
  const router = useRouter();
  return (
    <PopoverMenu label="Download" trigger={<>Download <span aria-hidden>▾</span></>} triggerClassName={buttonClass("secondary")} align="start">
      {downloadOptions(executionId, agentId, contents, basePath).map((option) => (
        <a
          key={option.href}
          role="menuitem"
          href={option.href}
          download
          className={menuItemClass}
          onClick={() => {
            if (!basePath) for (const ms of [1500, 5000]) setTimeout(() => router.refresh(), ms);
          }}
        >
          {option.label}
        </a>
      ))}
    </PopoverMenu>
  );
}
