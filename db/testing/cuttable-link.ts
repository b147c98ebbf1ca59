import net from "node:net";

/**
 * A TCP relay in front of a PostgreSQL server, on a free local port, that a test can cut as a
 * network would: `dropConnections()` resets every open connection (the next one gets through),
 * `goDown()` also refuses new ones until `comeBack()`. The server itself is never touched.
 */
export type CuttableLink = {
  port: number;
  /** The server's URL with this relay's port in it. */
  urlThrough(url: string): string;
  dropConnections(): void;
  /** Drops every open connection once `bytes` more have come from the server (mid-answer). */
  dropAfterServerSends(bytes: number): Promise<void>;
  goDown(): void;
  comeBack(): void;
  close(): Promise<void>;
};

export async function openCuttableLink(target: { host: string; port: number }): Promise<CuttableLink> {
  const open = new Set<net.Socket>();
  let isDown = false;
  const server = net.createServer((client) => {
    if (isDown) return void client.resetAndDestroy();
    const upstream = net.connect(target.port, target.host);
    const pair = [client, upstream];
    for (const socket of pair) {
      open.add(socket);
      socket.on("error", () => pair.forEach((s) => s.destroy()));
      socket.on("close", () => {
        open.delete(socket);
        pair.forEach((s) => s.destroy());
      });
    }
    upstream.on("data", (data: Buffer) => onServerData(data.length));
    client.pipe(upstream);
    upstream.pipe(client);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as net.AddressInfo;
  const dropConnections = () => {
    for (const socket of open) socket.resetAndDestroy();
  };
  let onServerData: (bytes: number) => void = () => {};
  return {
    port,
    urlThrough(url) {
      const parsed = new URL(url);
      parsed.hostname = "127.0.0.1";
      parsed.port = String(port);
      return parsed.toString();
    },
    dropConnections,
    dropAfterServerSends(bytes) {
      let left = bytes;
      return new Promise<void>((resolve) => {
        onServerData = (received) => {
          left -= received;
          if (left > 0) return;
          onServerData = () => {};
          dropConnections();
          resolve();
        };
      });
    },
    goDown() {
      isDown = true;
      dropConnections();
    },
    comeBack() {
      isDown = false;
    },
    close() {
      dropConnections();
      return new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
