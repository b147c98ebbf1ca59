import nextVitals from "eslint-config-next/core-web-vitals";
import nextTs from "eslint-config-next/typescript";

const config = [
  ...nextVitals,
  ...nextTs,
  { ignores: [".next/**", "node_modules/**", ".data/**", "db/migrations/**", "next-env.d.ts"] },
  {
    // Every action and route goes through its wrapper (lib/http/action.ts, lib/http/route.ts),
    // which reads the caller, maps failures and refreshes pages; none does that itself.
    files: ["app/**/route.ts", "app/**/actions.ts", "app/**/*-actions.ts"],
    ignores: ["app/api/inngest/route.ts", "app/api/auth/**"],
    rules: {
      "no-restricted-imports": ["error", {
        paths: [
          { name: "@/lib/auth/session", importNames: ["getSessionContext", "requireSessionContext"], message: "Let action() or route() establish the caller." },
          { name: "next/cache", importNames: ["revalidatePath", "revalidateTag"], message: "Declare what an action refreshes in action({ revalidate })." },
          { name: "@/lib/http/failure-response", importNames: ["failureResponse"], message: "Return the Failure; route() maps it to a response." },
        ],
      }],
    },
  },
];

export default config;
