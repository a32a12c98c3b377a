/** English words: app. */
export const app = {} as const;
