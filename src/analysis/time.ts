/** Milliseconds in a day of JavaScript time (which has no leap seconds), for date arithmetic on epoch milliseconds. */
export const DAY_MS = 86_400_000;
