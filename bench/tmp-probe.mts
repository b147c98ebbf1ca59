import fs from "node:fs";
const origin = "http://127.0.0.1:4101";
const cookie = fs.readFileSync("/tmp/cookie.txt", "utf8");
const list = await (await fetch(`${origin}/api/executions?limit=3`, { headers: { cookie } })).json() as { data?: { id: string }[]; executions?: { id: string }[] };
const id = (list.data ?? list.executions ?? [])[0]?.id ?? "00000000-0000-0000-0000-000000000000";
const paths = ["/executions", `/executions/${id}`, "/credits", "/audit", "/archived", "/executions/compare", "/agents/seo-audit", "/s/abc", "/sign-in", "/notifications", "/api/executions", `/api/executions/${id}/log`, "/api/credits/usage", "/api/audit"];
const values = ["%00", "%ED%A0%80", "%FF%FE", "x".repeat(20000), "9".repeat(400), "-1", "1e309", "NaN", "0000-00-00", "2024-02-30", "10000-01-01", "\u{1F600}", "%27%22%3C", "[]", "{}", "%C0%AF", "true", "-0", "2000-01-01T25:00:00Z", "00000000-0000-0000-0000-00000000000G"];
const keys = ["from", "to", "q", "status", "agent", "after", "before", "page", "tab", "sort", "view", "id", "cursor", "limit", "day", "range", "runs", "ids", "log", "line", "item", "filter", "outcome", "kind", "actor", "action", "from[]"];
let n = 0; const bad: string[] = [];
for (const path of paths) for (const key of keys) for (const value of values) {
  const url = `${origin}${path}${path.includes("?") ? "&" : "?"}${key}=${value}&${key}=${value.slice(0, 3)}`;
  let status = 0;
  try { const r = await fetch(url, { headers: { cookie }, redirect: "manual" }); status = r.status; await r.arrayBuffer(); } catch (e) { status = -1; }
  n++; if (status >= 500 || status < 0) bad.push(`${status} ${url.slice(0, 160)}`);
}
console.log(n, "requests;", bad.length, "bad"); console.log(bad.slice(0, 40).join("\n"));
