/**
 * Preloaded with `--import` (NODE_OPTIONS) into every process of a server a benchmark starts:
 * Node 20 refuses --cpu-prof in NODE_OPTIONS. Profiles the process from start to exit and
 * writes a .cpuprofile (open in Chrome DevTools) to RUNLOG_CPU_PROFILE_DIR.
 */
import fs from "node:fs";
import inspector from "node:inspector";
import path from "node:path";

const dir = process.env.RUNLOG_CPU_PROFILE_DIR;
if (dir) {
  const session = new inspector.Session();
  session.connect();
  session.post("Profiler.enable");
  session.post("Profiler.start");
  let isWritten = false;
  const write = () => {
    if (isWritten) return;
    isWritten = true;
    // A session on the main thread answers synchronously, so this works inside "exit".
    session.post("Profiler.stop", (error, result) => {
      if (error) return;
      fs.mkdirSync(dir, { recursive: true });
      fs.writeFileSync(path.join(dir, `${path.basename(process.argv[1] ?? "node")}-${process.pid}.cpuprofile`), JSON.stringify(result.profile));
    });
  };
  process.on("exit", write);
  process.on("SIGTERM", () => {
    write();
    // Leave the exit to the process's own handler where it has one.
    if (process.listenerCount("SIGTERM") === 1) process.exit(143);
  });
}
