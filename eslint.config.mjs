import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

// Which code may import what. ESLint keeps only the last no-restricted-imports that matches a
// file, so each block below lists every restriction of the files it names.

/** The audit log is written only by recordAudit (lib/audit/record.ts), whose action names the audit filter is built from. */
const auditWrites = { name: "@/db/schema", importNames: ["auditLog"], message: "Write audit entries with recordAudit (lib/audit/record.ts)." };

/** Every action and route goes through its wrapper, which reads the caller, maps failures and refreshes pages. */
const wrapperJobs = [
  { name: "@/lib/auth/session", importNames: ["getSessionContext", "requireSessionContext"], message: "Let action() or route() (lib/http) establish the caller." },
  { name: "next/cache", importNames: ["revalidatePath", "revalidateTag"], message: "Declare what an action refreshes in action({ revalidate })." },
  { name: "@/lib/http/failure-response", importNames: ["failureResponse"], message: "Return the Failure; route() maps it to a response." },
];

/**
 * Data flows one way: app/ and inngest/ → lib/ → db/. An import of a layer above, by alias or
 * by a relative path, is refused with the reason.
 */
const layer = (folders, message) => ({ regex: `^(@/|(\\.\\.?/)+)(${folders.join("|")})(/|$)`, message });
const domainLayers = [
  layer(["app", "components", "inngest"], "lib/ is the domain: pages, components and background functions call it, never the other way."),
  // From inside lib/, lib/http is also `../http` or `./http`.
  { regex: "^(@/lib/http|(\\.\\.?/)+http)(/|$)", message: "lib/http is the edge's wrappers (action(), route()); domain code returns an Outcome instead." },
];
const schemaLayers = [layer(["lib", "app", "components", "inngest"], "db/ (the schema and the client) stands below the domain: move what it needs into db/.")];

const restrict = (paths, patterns = []) => ({ "no-restricted-imports": ["error", { paths, patterns }] });
const tests = ["**/*.test.ts", "e2e/**", "bench/**"];

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", ".runlog/**", "node_modules/**", ".data/**", "db/migrations/**", "next-env.d.ts"] },
  {
    files: ["**/*.ts", "**/*.tsx"],
    ignores: ["lib/audit/**", "db/schema/**", ...tests],
    rules: restrict([auditWrites]),
  },
  {
    files: ["lib/**/*.ts"],
    ignores: ["lib/audit/**", "lib/http/**", ...tests],
    rules: restrict([auditWrites], domainLayers),
  },
  {
    files: ["lib/audit/**/*.ts"],
    ignores: tests,
    rules: restrict([], domainLayers),
  },
  {
    files: ["lib/http/**/*.ts"],
    ignores: tests,
    rules: restrict([auditWrites], domainLayers.slice(0, 1)),
  },
  {
    files: ["db/schema/**/*.ts"],
    rules: restrict([], schemaLayers),
  },
  {
    files: ["db/*.ts"],
    ignores: tests,
    rules: restrict([auditWrites], schemaLayers),
  },
  {
    files: ["app/**/route.ts", "app/**/actions.ts", "app/**/*-actions.ts"],
    // These two speak another library's protocol (next-auth's, Inngest's serve()).
    ignores: ["app/api/inngest/route.ts", "app/api/auth/**"],
    rules: restrict([auditWrites, ...wrapperJobs]),
  },
  {
    files: ["app/**/page.tsx"],
    rules: {
      "no-restricted-syntax": ["error", {
        selector: "ExportDefaultDeclaration > FunctionDeclaration[params.length>0]",
        message: "A page that reads its address is written with pageReadingAddress() (lib/http/page.ts), which answers a value the database refuses with 404, not 500.",
      }],
    },
  },
];

export default config;
