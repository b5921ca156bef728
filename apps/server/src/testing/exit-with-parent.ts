/**
 * Preloaded (`--import`) into the server processes that tests start: when the test process that
 * started this one is gone (killed by a timeout, say, before its cleanup ran), exit too, rather than
 * run on against a dropped database.
 */
const startedBy = process.ppid;
setInterval(() => {
  if (process.ppid !== startedBy) process.exit(1);
}, 500).unref();

export {};
