/**
 * Global setup of the browser tests: the production build on a fresh embedded database (or
 * `E2E_DATABASE_URL`) for the whole run, stopped after it.
 */
import path from "node:path";
import type { TestProject } from "vitest/node";
import { startAppServer } from "./app-server";

declare module "vitest" {
  export interface ProvidedContext {
    baseURL: string;
  }
}

export default async function setup(project: TestProject) {
  const server = await startAppServer({ databaseUrl: process.env.E2E_DATABASE_URL, logFile: path.join(process.cwd(), "e2e", "artifacts", "server.log") });
  project.provide("baseURL", server.baseURL);
  return server.stop;
}
