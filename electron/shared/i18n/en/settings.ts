/** English words: settings. */
export const settings = {} as const;
