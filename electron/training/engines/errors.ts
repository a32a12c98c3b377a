/** An engine that cannot run here, with the reason in words a user can act on. Shared by Node and the GPU page. */
export class EngineUnavailableError extends Error {
  override name = 'EngineUnavailableError';
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
