import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships wasm and data files that must be loaded from node_modules at run time,
  // and pdfkit reads its font metrics from disk; bundling either breaks them.
  serverExternalPackages: ["@electric-sql/pglite", "pdfkit"],
  poweredByHeader: false,
  // The PDF report's font is read from disk at run time (lib/exports/pdf-layout.ts); a traced
  // deployment (standalone output) must carry it beside the route that reads it.
  outputFileTracingIncludes: { "/api/executions/[id]/export/[format]": ["./lib/exports/fonts/**"] },
  // Admin-only pages answer members with a 403 page through forbidden().
  experimental: { authInterrupts: true },
};

export default nextConfig;
