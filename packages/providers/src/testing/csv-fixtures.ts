import { join } from 'node:path';

/** Real-shaped exports, one folder per layout (plain/ holds the equivalent plain files). */
export const CSV_FIXTURES = join(import.meta.dirname, 'fixtures', 'csv');
