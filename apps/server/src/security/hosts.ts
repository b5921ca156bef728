import type { FastifyInstance } from 'fastify';

/** Names every loopback client may use, with any port. */
const LOOPBACK_HOSTS = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** `host` or `host:port` (IPv6 in brackets) -> the lower-cased name and the port, if any. */
export function splitHost(header: string): { name: string; port: string | null } | null {
  const m = /^(\[[0-9a-f:.]+\]|[^:[\]\s/@]+)(?::(\d{1,5}))?$/i.exec(header.trim());
  if (!m?.[1]) return null;
  return { name: m[1].toLowerCase().replace(/\.$/, ''), port: m[2] ?? null };
}

/**
 * Whether the Host header names this server: a loopback name, or one of `allowed` (a bare name
 * matches any port, `name:port` only that port). A page on an attacker's domain that its DNS
 * rebinds to 127.0.0.1 still sends the attacker's name as Host, so it is refused here.
 */
export function isAllowedHost(header: string | undefined, allowed: readonly string[]): boolean {
  if (!header) return false;
  const host = splitHost(header);
  if (!host) return false;
  if (LOOPBACK_HOSTS.has(host.name)) return true;
  return allowed.some((entry) => {
    const want = splitHost(entry);
    return want !== null && want.name === host.name && (want.port === null || want.port === host.port);
  });
}

/**
 * The first check of every request, before its body is read, CORS or the token: a Host this
 * server is not known by is answered 421 (Misdirected Request), a missing one 400.
 */
export function registerHostCheck(http: FastifyInstance, allowed: readonly string[]): void {
  http.addHook('onRequest', async (req, reply) => {
    const host = req.headers.host;
    if (isAllowedHost(host, allowed)) return;
    if (!host) return reply.code(400).send({ detail: 'The request has no Host header' });
    return reply.code(421).send({
      detail: `This server does not answer to the host name "${host.slice(0, 100)}": if it is one of its names, add it to ALLOWED_HOSTS`,
    });
  });
}
