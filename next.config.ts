import type { NextConfig } from "next";

const nextConfig: NextConfig = {
  // PGlite ships wasm and data files that must be loaded from node_modules at run time,
  // and pdfkit reads its font metrics from disk; bundling either breaks them.
  serverExternalPackages: ["@electric-sql/pglite", "pdfkit"],
  poweredByHeader: false,
  // Admin-only pages answer members with a 403 page through forbidden().
  experimental: { authInterrupts: true },
};

export default nextConfig;
