import { readFile } from "node:fs/promises";
import path from "node:path";

/**
 * The API reference page (/api/docs): Swagger UI from the swagger-ui-dist package, served from
 * this app (no CDN), with no inline script: its two scripts carry the request's CSP nonce
 * (proxy.ts puts the policy on the request), so the nonce-based policy lets them run.
 */
export function referencePage(requestPolicy: string | null): string {
  const nonce = /'nonce-([A-Za-z0-9+/=]+)'/.exec(requestPolicy ?? "")?.[1];
  const attribute = nonce ? ` nonce="${nonce}"` : "";
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>Runlog API reference</title>
<link rel="stylesheet" href="/api/docs/swagger-ui.css">
</head>
<body>
<main><h1 class="sr-only" hidden>Runlog API reference</h1><div id="swagger-ui"></div></main>
<noscript>The reference needs JavaScript; the document itself is at <a href="/api/openapi.json">/api/openapi.json</a>.</noscript>
<script src="/api/docs/swagger-ui-bundle.js"${attribute}></script>
<script src="/api/docs/reference.js"${attribute}></script>
</body>
</html>`;
}

const starter = `window.ui = SwaggerUIBundle({ url: "/api/openapi.json", dom_id: "#swagger-ui", deepLinking: true, persistAuthorization: false });\n`;

const assets: Record<string, { file?: string; text?: string; type: string }> = {
  "swagger-ui.css": { file: "swagger-ui.css", type: "text/css; charset=utf-8" },
  "swagger-ui-bundle.js": { file: "swagger-ui-bundle.js", type: "text/javascript; charset=utf-8" },
  "reference.js": { text: starter, type: "text/javascript; charset=utf-8" },
};

/** One of the page's files, or null for any other name. */
export async function referenceAsset(name: string): Promise<{ body: string | Buffer; type: string } | null> {
  const asset = Object.hasOwn(assets, name) ? assets[name]! : null;
  if (!asset) return null;
  if (asset.text !== undefined) return { body: asset.text, type: asset.type };
  return { body: await readFile(path.join(process.cwd(), "node_modules", "swagger-ui-dist", asset.file!)), type: asset.type };
}
