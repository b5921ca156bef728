import type { AppRouter } from '@candlebase/api';
import { createTRPCClient, httpBatchLink, httpSubscriptionLink, splitLink } from '@trpc/client';
import { createTRPCContext } from '@trpc/tanstack-react-query';
import { currentToken } from './api-token';

export const { TRPCProvider, useTRPC, useTRPCClient } = createTRPCContext<AppRouter>();

const authHeaders = () => {
  const token = currentToken();
  return token ? { authorization: `Bearer ${token}` } : {};
};

/** Subscriptions go over SSE (resumable by event id); everything else is batched over HTTP. */
export function createClient(baseUrl = '/trpc') {
  return createTRPCClient<AppRouter>({
    links: [
      splitLink({
        condition: (op) => op.type === 'subscription',
        // EventSource cannot send headers: the token travels as a connection parameter.
        true: httpSubscriptionLink({
          url: baseUrl,
          connectionParams: () => {
            const token = currentToken();
            return token ? { token } : {};
          },
        }),
        // maxItems: the server refuses batches of more than 20 calls (MAX_BATCH_SIZE).
        false: httpBatchLink({ url: baseUrl, maxURLLength: 4000, maxItems: 20, headers: authHeaders }),
      }),
    ],
  });
}

export type TrpcClient = ReturnType<typeof createClient>;
