export async function register() {
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { prepareDatabase } = await import("./db/prepare");
  await prepareDatabase();
  const { isInngestConfigured } = await import("./inngest/client");
  if (!isInngestConfigured()) {
    const { resumeUnfinishedExecutions } = await import("./inngest/embedded");
    const resumed = await resumeUnfinishedExecutions();
    if (resumed) console.log(`Runlog: resuming ${resumed} unfinished execution${resumed === 1 ? "" : "s"}.`);
    const { startEmbeddedScheduler } = await import("./inngest/scheduler");
    startEmbeddedScheduler();
  }
}
