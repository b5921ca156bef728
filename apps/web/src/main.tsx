import { QueryClientProvider } from '@tanstack/react-query';
import { StrictMode, useState } from 'react';
import { createRoot } from 'react-dom/client';
import { App } from './app/App';
import { DialogsProvider } from './app/dialogs';
import { RefreshProvider } from './features/system/refresh';
import { createQueryClient } from './lib/query-client';
import { createClient, TRPCProvider } from './lib/trpc';
import './index.css';

function Root() {
  const [queryClient] = useState(createQueryClient);
  const [trpcClient] = useState(() => createClient());
  return (
    <QueryClientProvider client={queryClient}>
      <TRPCProvider trpcClient={trpcClient} queryClient={queryClient}>
        <RefreshProvider>
          <DialogsProvider>
            <App />
          </DialogsProvider>
        </RefreshProvider>
      </TRPCProvider>
    </QueryClientProvider>
  );
}

const el = document.getElementById('root');
if (!el) throw new Error('index.html needs a #root element');
createRoot(el).render(
  <StrictMode>
    <Root />
  </StrictMode>,
);
