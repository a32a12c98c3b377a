/** English words: devices. */
export const devices = {} as const;
