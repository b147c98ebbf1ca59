import fs from "node:fs";
import { randomBytes } from "node:crypto";
import { afterAll, inject } from "vitest";
import { closeDatabase, openDatabase, installDatabase } from "@/db/client";
import { adminConnection, runPrefix, templateDatabaseName, testDatabaseUrl, withDatabaseName } from "./template";

const url = testDatabaseUrl();

if (url) {
  const runPid = inject("testRunPid");
  const name = `${runPrefix(runPid)}${randomBytes(6).toString("hex")}`;
  const admin = adminConnection(url);
  await createFromTemplate(admin, name, templateDatabaseName(runPid));
  // Child processes a test starts reach this file's database through this variable.
  process.env.RUNLOG_TEST_DATABASE_URL = withDatabaseName(url, name);
  installDatabase(await openDatabase({ kind: "postgres", url: process.env.RUNLOG_TEST_DATABASE_URL, maxConnections: 20 }));
  afterAll(async () => {
    await closeDatabase();
    await admin.unsafe(`drop database if exists "${name}" with (force)`);
    await admin.end();
  });
} else {
  const dump = fs.readFileSync(inject("pgliteDumpPath"));
  installDatabase(await openDatabase({ kind: "pglite", dataDir: "memory://", loadDataDir: new Blob([dump]) }));
  afterAll(() => closeDatabase());
}

// Files start in parallel; PostgreSQL refuses to copy a template that another CREATE
// DATABASE is reading at the same moment, so retry briefly.
async function createFromTemplate(admin: ReturnType<typeof adminConnection>, name: string, template: string) {
  for (let attempt = 0; ; attempt++) {
    try {
      await admin.unsafe(`create database "${name}" template "${template}"`);
      return;
    } catch (error) {
      if (attempt >= 20 || !String(error).includes("being accessed by other users")) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100 + Math.random() * 200));
    }
  }
}
