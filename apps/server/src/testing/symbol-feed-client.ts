import type { AppRouter } from '@candlebase/api';
import type { SymbolListChange } from '@candlebase/contracts';
import { createTRPCClient, httpLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { EventSource } from 'eventsource';

export type Client = ReturnType<typeof createTRPCClient<AppRouter>>;

/** Follows `symbols.onChanged` over real SSE; `got` fills as messages arrive, each with its tracked id. */
export function follow(client: Client, lastEventId?: string) {
  const got: { id: string; data: SymbolListChange }[] = [];
  const sub = client.symbols.onChanged.subscribe(
    { lastEventId },
    { onData: (m) => got.push(m as unknown as { id: string; data: SymbolListChange }) },
  );
  return { got, stop: () => sub.unsubscribe() };
}

export function clientOf(url: string): Client {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        true: httpSubscriptionLink({ url: `${url}/trpc`, EventSource }),
        false: httpLink({ url: `${url}/trpc` }),
      }),
    ],
  });
}
