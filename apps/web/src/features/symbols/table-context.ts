import { createContext } from 'react';

/**
 * When the rows' data arrived (epoch ms): "Data age" counts from it. A context, so the age cells
 * follow it while the memoised rows around them are left as they are. Null outside a table.
 */
export const AgesFrom = createContext<number | null>(null);

/** The symbols the search and status filter leave, in table order: what "Select all" acts on. */
export const VisibleSymbols = createContext<readonly string[]>([]);
