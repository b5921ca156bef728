import { MutationCache, QueryCache, QueryClient } from '@tanstack/react-query';
import { requestApiToken } from './api-token';
import { httpStatusOf, reportApiError } from './errors';

declare module '@tanstack/react-query' {
  interface Register {
    /** `handlesErrors: true` marks a mutation whose caller shows its errors in place (a form alert). */
    mutationMeta: { handlesErrors?: boolean };
  }
}

export function createQueryClient(): QueryClient {
  return new QueryClient({
    queryCache: new QueryCache({ onError: (err) => reportApiError(err) }),
    mutationCache: new MutationCache({
      onError: (err, _vars, _ctx, mutation) => {
        // A form shows its own errors, but a missing token is asked for in one place.
        if (httpStatusOf(err) === 401) requestApiToken();
        if (!mutation.meta?.handlesErrors) reportApiError(err);
      },
    }),
    defaultOptions: {
      queries: {
        staleTime: 5_000,
        refetchOnWindowFocus: false,
        // A 4xx will not get better by asking again.
        retry: (count, err) => {
          const status = httpStatusOf(err);
          return count < 2 && (status === null || status >= 500);
        },
      },
    },
  });
}
