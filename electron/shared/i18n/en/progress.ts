/** English words: progress. */
export const progress = {} as const;
