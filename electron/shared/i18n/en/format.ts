/** English words: format. */
export const format = {} as const;
