/**
 * The 1,000 SSE subscribers of the fan-out bench, in a process of their own: reading 183,000
 * frames is real work, and done in the bench's own process it would delay the health timings
 * taken there. Prints one line, `events [n, n, ...]`, when every stream has ended.
 */
const url = process.env.FANOUT_URL ?? '';
const jobId = process.env.FANOUT_JOB ?? '';
const count = Number(process.env.FANOUT_SUBSCRIBERS ?? 1000);

async function subscribe(): Promise<number> {
  const input = encodeURIComponent(JSON.stringify({ jobId }));
  const res = await fetch(`${url}/trpc/backfill.onProgress?input=${input}`, {
    headers: { accept: 'text/event-stream' },
  });
  if (!res.body) return 0;
  let events = 0;
  const decoder = new TextDecoder();
  for await (const chunk of res.body) {
    events += (decoder.decode(chunk, { stream: true }).match(/^id: /gm) ?? []).length;
  }
  return events;
}

const counts = await Promise.all(Array.from({ length: count }, () => subscribe()));
console.log(`events ${JSON.stringify(counts)}`);

export {};
