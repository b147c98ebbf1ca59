export async function register() {
  // A condition the bundler folds (not an early return), so the Edge build leaves the import out.
  if (process.env.NEXT_RUNTIME === "nodejs") {
    const { registerNode } = await import("./instrumentation-node");
    await registerNode();
  }
}
