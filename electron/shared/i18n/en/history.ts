/** English words: history. */
export const history = {} as const;
