/** English words: results. */
export const results = {} as const;
