import { useQueryClient } from '@tanstack/react-query';
import { type FormEvent, useState } from 'react';
import { dismissTokenRequest, setApiToken, useTokenRequested } from '../../lib/api-token';
import { Button } from '../../ui/Button';
import { Modal } from '../../ui/Modal';

/** Asked once when the server answers 401: the token is kept for this browser session. */
export function TokenDialog() {
  const open = useTokenRequested();
  const queryClient = useQueryClient();
  const [token, setToken] = useState('');

  const save = (e: FormEvent) => {
    e.preventDefault();
    if (!token.trim()) return;
    setApiToken(token.trim());
    setToken('');
    void queryClient.invalidateQueries();
  };

  return (
    <Modal
      open={open}
      onOpenChange={(next) => {
        if (!next) dismissTokenRequest();
      }}
      title="API token"
      description="This Candlebase server needs its API token for this action. It is kept for this browser session only."
      size="sm"
    >
      <form onSubmit={save} className="flex flex-col gap-3 p-5">
        <label className="flex flex-col gap-1 text-sm text-zinc-300">
          API token
          <input
            type="password"
            autoComplete="off"
            value={token}
            onChange={(e) => setToken(e.target.value)}
            className="h-9 rounded-md border border-zinc-700 bg-zinc-950 px-3 text-zinc-100 outline-none focus:border-sky-500"
          />
        </label>
        <div className="flex justify-end gap-2">
          <Button variant="ghost" onClick={dismissTokenRequest}>
            Not now
          </Button>
          <Button type="submit" variant="primary" disabled={!token.trim()}>
            Save token
          </Button>
        </div>
      </form>
    </Modal>
  );
}
