/** The GPU page's two IPC channels: main to page (ParentMessage) and page to main (WorkerMessage). */
export const GPU_PAGE_CHANNELS = { toPage: 'gpu-page:command', fromPage: 'gpu-page:message' } as const;
