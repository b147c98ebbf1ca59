import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { databaseConfigFromEnv, openDatabase } from "./client";

describe("choosing and opening the database", () => {
  it("uses PostgreSQL when DATABASE_URL is set and embedded PGlite in .data otherwise", () => {
    expect(databaseConfigFromEnv({ DATABASE_URL: "postgres://u@h/db" })).toEqual({ kind: "postgres", url: "postgres://u@h/db" });
    expect(databaseConfigFromEnv({})).toEqual({ kind: "pglite", dataDir: path.join(process.cwd(), ".data", "pglite") });
    expect(databaseConfigFromEnv({ PGLITE_DIR: "/tmp/x" })).toEqual({ kind: "pglite", dataDir: "/tmp/x" });
  });

  it("refuses to open an embedded database folder that another live process holds", async () => {
    const dataDir = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "runlog-lock-")), "nested", "pglite");
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.writeFileSync(`${dataDir}.lock`, String(process.ppid));
    await expect(openDatabase({ kind: "pglite", dataDir })).rejects.toThrow(/in use by process/);
    fs.rmSync(path.dirname(path.dirname(dataDir)), { recursive: true, force: true });
  });

  it("creates a missing folder, takes over a stale lock and releases it on close", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), "runlog-lock-"));
    const dataDir = path.join(root, "deep", "pglite");
    fs.mkdirSync(path.dirname(dataDir), { recursive: true });
    fs.writeFileSync(`${dataDir}.lock`, "999999999"); // no such process
    const opened = await openDatabase({ kind: "pglite", dataDir });
    expect(fs.readFileSync(`${dataDir}.lock`, "utf8")).toBe(String(process.pid));
    await opened.close();
    expect(fs.existsSync(`${dataDir}.lock`)).toBe(false);
    fs.rmSync(root, { recursive: true, force: true });
  });
});
