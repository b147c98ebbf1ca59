const origin = "http://127.0.0.1:3912";
const jar = new Map<string, string>();
const keep = (r: Response) => { for (const line of r.headers.getSetCookie()) { const [pair] = line.split(";"); const i = pair!.indexOf("="); jar.set(pair!.slice(0, i), pair!.slice(i + 1)); } };
const h = () => [...jar].map(([k, v]) => `${k}=${v}`).join("; ");
const csrf = await fetch(`${origin}/api/auth/csrf`); keep(csrf);
const { csrfToken } = await csrf.json() as { csrfToken: string };
const cb = await fetch(`${origin}/api/auth/callback/credentials`, { method: "POST", redirect: "manual", headers: { "content-type": "application/x-www-form-urlencoded", cookie: h() }, body: new URLSearchParams({ csrfToken, email: "admin@acme.test", password: "runlog-demo", callbackUrl: `${origin}/executions`, json: "true" }) });
keep(cb);
import fs from "node:fs";
fs.writeFileSync("/tmp/cookie.txt", h());
for (const p of process.argv.slice(2)) {
  const body = await (await fetch(origin + p, { headers: { cookie: h() } })).text();
  const flight = [...body.matchAll(/self\.__next_f\.push\((.*?)\)<\/script>/gs)].map((m) => m[1]!.length).reduce((a, b) => a + b, 0);
  fs.writeFileSync(`/tmp/page${p.replace(/\W/g, "_")}.html`, body);
  console.log(p, "total", body.length, "flight", flight, "html", body.length - flight);
}
