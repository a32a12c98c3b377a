/** English words: report. */
export const report = {} as const;
