import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { openDatabase } from "@/db/client";
import { seedDemo } from "@/db/seed";
import { adminConnection, isLeftover, templateDatabaseName, testDatabasePrefix, testDatabaseUrl, withDatabaseName } from "./template";

declare module "vitest" {
  export interface ProvidedContext {
    pgliteDumpPath: string;
    seedNow: string;
    testRunPid: number;
  }
}

export default async function setup(project: TestProject) {
  const seedNow = new Date();
  project.provide("seedNow", seedNow.toISOString());
  project.provide("testRunPid", process.pid);
  const url = testDatabaseUrl();
  if (url) {
    const admin = adminConnection(url);
    const stale = await admin<{ datname: string }[]>`
      select datname from pg_database where datname like ${`${testDatabasePrefix}%`}`;
    for (const { datname } of stale.filter((d) => isLeftover(d.datname))) await admin.unsafe(`drop database if exists "${datname}" with (force)`);
    const templateName = templateDatabaseName(process.pid);
    await admin.unsafe(`create database "${templateName}"`);
    const template = await openDatabase({ kind: "postgres", url: withDatabaseName(url, templateName), maxConnections: 2 });
    await template.migrate();
    await seedDemo(template.db, { now: seedNow });
    await template.close();
    project.provide("pgliteDumpPath", "");
    return async () => {
      await admin.unsafe(`drop database if exists "${templateName}" with (force)`);
      await admin.end();
    };
  }
  const template = await openDatabase({ kind: "pglite", dataDir: "memory://" });
  await template.migrate();
  await seedDemo(template.db, { now: seedNow });
  const dump = await (template.db as unknown as { $client: import("@electric-sql/pglite").PGlite }).$client.dumpDataDir("gzip");
  await template.close();
  const dumpPath = path.join(fs.mkdtempSync(path.join(os.tmpdir(), "runlog-test-")), "seeded.tar.gz");
  fs.writeFileSync(dumpPath, Buffer.from(await dump.arrayBuffer()));
  project.provide("pgliteDumpPath", dumpPath);
  return () => fs.rmSync(path.dirname(dumpPath), { recursive: true, force: true });
}
