import fs from "node:fs";
import path from "node:path";
import { randomBytes } from "node:crypto";

/**
 * The key that signs session cookies: `NEXTAUTH_SECRET` in production; otherwise one
 * generated on first use and kept in `.data/`, so the embedded default works with no
 * configuration and sessions survive restarts.
 */
export function getAuthSecret(): string {
  const fromEnv = process.env.NEXTAUTH_SECRET || process.env.AUTH_SECRET;
  if (fromEnv) return fromEnv;
  const file = path.join(process.cwd(), ".data", "auth-secret");
  try {
    return fs.readFileSync(file, "utf8").trim();
  } catch {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const secret = randomBytes(32).toString("base64url");
    try {
      fs.writeFileSync(file, secret, { mode: 0o600, flag: "wx" });
      return secret;
    } catch {
      // Another request wrote it first: use theirs.
      return fs.readFileSync(file, "utf8").trim();
    }
  }
}
