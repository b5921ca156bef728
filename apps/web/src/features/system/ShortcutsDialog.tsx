import { Modal } from '../../ui/Modal';

const SHORTCUTS: [key: string, action: string][] = [
  ['/', 'Focus the symbol search'],
  ['b', 'Open the backfill form (with the selected symbols)'],
  ['?', 'Show this list'],
  ['Esc', 'Close a dialog'],
];

export function ShortcutsDialog({ open, onOpenChange }: { open: boolean; onOpenChange: (open: boolean) => void }) {
  return (
    <Modal open={open} onOpenChange={onOpenChange} title="Keyboard shortcuts" size="sm">
      <dl className="divide-y divide-zinc-800 px-5 py-2">
        {SHORTCUTS.map(([key, action]) => (
          <div key={key} className="flex items-center justify-between py-2.5 text-sm">
            <dt className="text-zinc-300">{action}</dt>
            <dd>
              <kbd className="rounded border border-zinc-700 bg-zinc-800 px-2 py-0.5 font-mono text-xs text-zinc-200 shadow-[0_1px_0] shadow-zinc-700">
                {key}
              </kbd>
            </dd>
          </div>
        ))}
      </dl>
      <p className="px-5 pb-4 text-xs text-zinc-400">Keys are ignored while you type in a field.</p>
    </Modal>
  );
}
