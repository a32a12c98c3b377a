import type { DevicesReport } from '../shared/ipc-contract';

/**
 * The report is slow to make (a worker process a probe, and a GPU page): made once, remade on request, the latest
 * kept for run rows. Requests while a detection is in flight share it, refresh or not: 50 clicks on Refresh start
 * one set of probes, not 50 (each a process). A refresh after it has settled starts a fresh one.
 */
export function cachedDevices(detect: () => Promise<DevicesReport>) {
  let pending: Promise<DevicesReport> | null = null;
  let inFlight = false;
  let latest: DevicesReport | null = null;
  const run = () => {
    inFlight = true;
    const attempt = detect().then((report) => (latest = report));
    pending = attempt;
    attempt.then(
      () => (inFlight = false),
      () => {
        // A failed detection is not cached: the next call tries again.
        inFlight = false;
        pending = null;
      },
    );
    return attempt;
  };
  return {
    get: (refresh = false): Promise<DevicesReport> => (!pending || (refresh && !inFlight) ? run() : pending),
    latest: (): DevicesReport | null => latest,
  };
}
