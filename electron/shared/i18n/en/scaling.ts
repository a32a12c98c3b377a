/** English words: scaling. */
export const scaling = {} as const;
