/**
 * A TCP server that accepts connections and never says anything (a device whose SSH or TLS
 * server hangs), counting what it accepted and what is still open: a client that gives up must
 * be seen closing its connection.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';

export interface BlackHole {
  readonly port: number;
  /** Connections accepted so far. */
  readonly accepted: number;
  /** Connections still open. */
  open(): number;
  close(): void;
}

export async function blackHole(): Promise<BlackHole> {
  const sockets = new Set<Socket>();
  let accepted = 0;
  const server: Server = createServer((socket) => {
    accepted++;
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
    socket.resume(); // read (and drop) what comes: the end of the connection is seen only by reading
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    get accepted() {
      return accepted;
    },
    open: () => sockets.size,
    close: () => {
      for (const s of sockets) s.destroy();
      server.close();
    },
  };
}
