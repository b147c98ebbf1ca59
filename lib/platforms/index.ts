import { and, eq } from "drizzle-orm";
import { getDb } from "@/db/client";
import { platformConnections, type PlatformConnection } from "@/db/schema";
import type { PlatformAdapter } from "./adapter";
import { DemoStoreAdapter } from "./demo-store";

/** The adapter for a connection's platform kind. */
export function adapterFor(connection: Pick<PlatformConnection, "id" | "workspaceId" | "kind">): PlatformAdapter {
  if (connection.kind === "demo") return new DemoStoreAdapter(connection.workspaceId, connection.id);
  throw new Error(`No adapter for platform kind "${connection.kind}"`);
}

/** The workspace's store connection (one per workspace today). */
export async function getWorkspaceConnection(workspaceId: string): Promise<PlatformConnection | null> {
  const db = await getDb();
  const [row] = await db.select().from(platformConnections).where(and(eq(platformConnections.workspaceId, workspaceId))).limit(1);
  return row ?? null;
}
