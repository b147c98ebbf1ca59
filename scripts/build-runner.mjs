// Bundles the runner process (inngest/runner-main.ts) into .runlog/runner.mjs for `npm start`:
// our TypeScript compiled into one file, packages left to node_modules as the app loads them.
import { build } from "esbuild";

await build({
  entryPoints: ["inngest/runner-main.ts"],
  outfile: ".runlog/runner.mjs",
  bundle: true,
  platform: "node",
  target: "node20",
  format: "esm",
  packages: "external",
  sourcemap: true,
  logLevel: "warning",
  // Packages written in CommonJS still `require` Node's modules from inside an ES module.
  banner: { js: "import { createRequire as __runlogCreateRequire } from 'node:module'; const require = __runlogCreateRequire(import.meta.url);" },
});
console.log("Built the runner: .runlog/runner.mjs");
