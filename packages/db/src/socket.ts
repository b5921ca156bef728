import net from 'node:net';

interface SocketOptions {
  host: string[];
  port: number[];
  path?: string | false | undefined;
}

/**
 * postgres-js connects with Nagle's algorithm on. A large message (a COPY page, an unnest()
 * insert) then ends in a short segment the kernel holds until the server's delayed ACK arrives,
 * up to 40 ms on Linux, once per page: most of a 5,000-row page's write time here. This opens the
 * same connection with TCP_NODELAY, as node-postgres does. The socket is handed over while it
 * connects (Node queues writes until then), so postgres-js's own error and close handling and its
 * connect timeout apply as usual. Hosts are tried in turn, as postgres-js does.
 */
export function noDelaySocketFactory(): (options: SocketOptions) => net.Socket {
  let next = 0;
  return (options) => {
    const socket = new net.Socket();
    socket.setNoDelay(true);
    if (options.path) return socket.connect(options.path);
    const i = next++ % Math.max(1, options.host.length);
    return socket.connect(
      options.port[i] ?? options.port[0] ?? 5432,
      options.host[i] ?? options.host[0] ?? 'localhost',
    );
  };
}
