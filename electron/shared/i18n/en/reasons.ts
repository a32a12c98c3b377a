/** English words: reasons. */
export const reasons = {} as const;
