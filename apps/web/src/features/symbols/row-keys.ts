import type { KeyboardEvent } from 'react';

/**
 * Arrow keys inside the body: left and right between a row's controls (its checkbox and symbol,
 * which Tab skips so a row is one Tab stop), up and down to the same control of the next row.
 */
export function moveFocus(e: KeyboardEvent<HTMLTableSectionElement>) {
  const target = e.target;
  if (!(target instanceof HTMLElement)) return;
  const cell = target.closest('td');
  const row = cell?.parentElement;
  if (!cell || !row) return;
  const controls = (el: Element) => [...el.querySelectorAll<HTMLElement>('button, input')];
  let next: HTMLElement | undefined;
  if (e.key === 'ArrowLeft' || e.key === 'ArrowRight') {
    const inRow = controls(row);
    next = inRow[inRow.indexOf(target) + (e.key === 'ArrowLeft' ? -1 : 1)];
  } else if (e.key === 'ArrowUp' || e.key === 'ArrowDown') {
    const sibling = e.key === 'ArrowUp' ? row.previousElementSibling : row.nextElementSibling;
    const column = [...row.children].indexOf(cell);
    const other = sibling?.children[column];
    next = other ? controls(other)[0] : undefined;
  }
  if (!next) return;
  e.preventDefault();
  next.focus();
  next.scrollIntoView({ block: 'nearest' });
}
