import { restReplyOf } from '@candlebase/contracts';
import type { FastifyReply } from 'fastify';

/** Sends what `work` returns, or the domain error it throws as REST answers one; anything else is a 500. */
export async function answer<T>(reply: FastifyReply, work: () => Promise<T>): Promise<FastifyReply> {
  try {
    return reply.send(await work());
  } catch (err) {
    const wire = restReplyOf(err);
    if (!wire) throw err;
    return reply.code(wire.status).headers(wire.headers).send(wire.body);
  }
}
