import * as Dialog from '@radix-ui/react-dialog';
import type { ReactNode } from 'react';
import { CloseIcon } from './CloseIcon';

const WIDTHS = {
  sm: 'max-w-md',
  md: 'max-w-xl',
  lg: 'max-w-3xl',
  xl: 'max-w-5xl',
  full: 'max-w-[min(96vw,1600px)]',
} as const;

export interface ModalProps {
  open: boolean;
  onOpenChange: (open: boolean) => void;
  /** The dialog's accessible name: keep it to the plain text the contract names. */
  title: string;
  description?: ReactNode;
  /** Shown beside the title; not part of the accessible name. */
  aside?: ReactNode;
  size?: keyof typeof WIDTHS;
  /** The element that takes focus on open (a form's first field); Radix's default is the first focusable, the Close button. */
  initialFocus?: () => HTMLElement | null;
  children: ReactNode;
}

/** A Radix dialog in the house style: Esc closes, focus is trapped inside (and restored by DialogsProvider). */
export function Modal({
  open,
  onOpenChange,
  title,
  description,
  aside,
  size = 'md',
  initialFocus,
  children,
}: ModalProps) {
  return (
    <Dialog.Root open={open} onOpenChange={onOpenChange}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-zinc-950/70 backdrop-blur-[2px] data-[state=open]:animate-[fade-in_120ms_ease-out]" />
        <Dialog.Content
          className={`fixed left-1/2 top-[6vh] z-50 flex max-h-[88vh] w-[calc(100vw-2rem)] ${WIDTHS[size]} -translate-x-1/2 flex-col overflow-hidden rounded-xl border border-zinc-800 bg-zinc-900 shadow-2xl shadow-black/60 outline-none data-[state=open]:animate-[dialog-in_140ms_ease-out]`}
          {...(description ? {} : { 'aria-describedby': undefined })}
          // Without a Dialog.Trigger Radix has nowhere to return focus; DialogsProvider does it.
          onCloseAutoFocus={(e) => e.preventDefault()}
          onOpenAutoFocus={(e) => {
            const target = initialFocus?.();
            if (!target) return;
            e.preventDefault();
            target.focus();
          }}
        >
          {/* A div, not a header: inside a dialog a <header> would be a second banner landmark. */}
          <div className="flex items-start justify-between gap-4 border-b border-zinc-800 px-5 py-3.5">
            <div className="min-w-0">
              <div className="flex items-center gap-3">
                <Dialog.Title className="truncate text-base font-semibold tracking-tight text-zinc-50">
                  {title}
                </Dialog.Title>
                {aside}
              </div>
              {description && (
                <Dialog.Description className="mt-0.5 text-xs text-zinc-400">{description}</Dialog.Description>
              )}
            </div>
            <Dialog.Close
              aria-label="Close"
              className="-mr-1.5 rounded-md p-1.5 text-zinc-400 hover:bg-zinc-800 hover:text-zinc-100 focus-visible:outline-2 focus-visible:outline-sky-400"
            >
              <CloseIcon />
            </Dialog.Close>
          </div>
          <div className="min-h-0 flex-1 overflow-y-auto">{children}</div>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
