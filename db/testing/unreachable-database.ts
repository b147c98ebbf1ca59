import net from "node:net";
import { openDatabase, type OpenDatabase } from "@/db/client";

/** A PostgreSQL client pointed at a port nothing listens on (taken from the system, then let go): every query fails to connect. */
export async function openUnreachableDatabase(): Promise<OpenDatabase> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return openDatabase({ kind: "postgres", url: `postgres://postgres@127.0.0.1:${port}/runlog`, maxConnections: 1 });
}
