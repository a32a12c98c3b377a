/**
 * NVIDIA GPUs as nvidia-smi reports them, for the CUDA engine: running it, reading its answer, and why there is none
 * (a reason, worded by describe-reason).
 */
import { execFile } from 'node:child_process';
import type { GpuInfo } from '../shared/ipc-contract';
import type { Reason } from '../shared/reasons';

/** execFile's promise form; rejects with its error (code ENOENT, a numeric exit code, or killed on timeout). */
export type ExecFn = (
  file: string,
  args: string[],
  options: { timeout: number },
) => Promise<{ stdout: string; stderr: string }>;

export const NVIDIA_SMI_TIMEOUT_MS = 10_000;
const QUERY = ['--query-gpu=name,memory.total,driver_version', '--format=csv,noheader,nounits'];

export const execNode: ExecFn = (file, args, options) =>
  new Promise((resolve, reject) => {
    execFile(file, args, { timeout: options.timeout, windowsHide: true }, (err, stdout, stderr) => {
      if (err) reject(Object.assign(err, { stdout, stderr }));
      else resolve({ stdout, stderr });
    });
  });

/** One line per GPU: "name, memory MiB, driver". Names may hold commas, so the two numbers are taken from the end. */
export function parseGpuList(stdout: string): GpuInfo[] {
  const gpus: GpuInfo[] = [];
  for (const line of stdout.split(/\r?\n/)) {
    const parts = line.split(',').map((p) => p.trim());
    if (parts.length < 3) continue;
    const driver = parts.pop()!;
    const memory = parts.pop()!;
    const name = parts.join(', ');
    // "[N/A]" memory is kept as 0 (some boards do not report it); a line without a driver version is not a GPU row.
    if (!name || !/^\d+(\.\d+)*$/.test(driver) || !/^(\d+|\[N\/A\])$/.test(memory)) continue;
    gpus.push({ name, memoryMiB: /^\d+$/.test(memory) ? Number(memory) : 0, driver, cuda: null });
  }
  return gpus;
}

/** The "CUDA Version: 12.4" in plain nvidia-smi's header: the newest CUDA the driver supports. */
export function parseCudaVersion(stdout: string): string | null {
  return /CUDA Version\s*:\s*(\d+(?:\.\d+)*)/.exec(stdout)?.[1] ?? null;
}

/** The GPUs found, or none and why (`note`). */
export interface GpuDetection {
  gpus: GpuInfo[];
  note: Reason | null;
}

export async function detectGpus(
  exec: ExecFn = execNode,
  platform: NodeJS.Platform = process.platform,
): Promise<GpuDetection> {
  if (platform === 'darwin') return { gpus: [], note: { code: 'macos-no-cuda' } };
  let stdout: string;
  try {
    stdout = (await exec('nvidia-smi', QUERY, { timeout: NVIDIA_SMI_TIMEOUT_MS })).stdout;
  } catch (err) {
    return { gpus: [], note: execFailure(err) };
  }
  const gpus = parseGpuList(stdout);
  if (gpus.length === 0) {
    const first = stdout.trim().split(/\r?\n/)[0];
    return { gpus, note: { code: 'nvidia-smi-listed-none', said: first ? clip(first) : null } };
  }
  // The CUDA version is a nicety: a failure here must not hide GPUs the query already found.
  const cuda = await exec('nvidia-smi', [], { timeout: NVIDIA_SMI_TIMEOUT_MS }).then(
    (r) => parseCudaVersion(r.stdout),
    () => null,
  );
  return { gpus: gpus.map((g) => ({ ...g, cuda })), note: null };
}

function execFailure(err: unknown): Reason {
  const e = err as {
    code?: unknown;
    killed?: boolean;
    signal?: unknown;
    stdout?: unknown;
    stderr?: unknown;
    message?: string;
  };
  if (e.code === 'ENOENT') return { code: 'nvidia-smi-missing' };
  if (e.killed || e.signal === 'SIGTERM') return { code: 'nvidia-smi-timeout', seconds: NVIDIA_SMI_TIMEOUT_MS / 1000 };
  if (e.code === 'EACCES') return { code: 'nvidia-smi-denied' };
  // nvidia-smi prints its reason ("NVIDIA-SMI has failed because it couldn't communicate with the NVIDIA driver...")
  // on stdout, and exits non-zero.
  const said = [e.stdout, e.stderr].map((s) => (typeof s === 'string' ? s.trim() : '')).find((s) => s.length > 0);
  return { code: 'nvidia-smi-failed', said: clip(said?.split(/\r?\n/)[0] ?? e.message ?? String(err)) };
}

const clip = (s: string): string => (s.length > 200 ? `${s.slice(0, 200)}...` : s);
