/** Claims of one unit before it fails for good (crashes included); `retry` grants as many again. */
export const MAX_UNIT_ATTEMPTS = 5;
