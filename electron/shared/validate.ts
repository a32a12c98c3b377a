/**
 * Main's gate for everything the renderer sends: each invoke channel's argument is checked (shape, types, ranges,
 * no unknown keys) before any handler acts on it. A compromised or buggy renderer gets a clear error, never a
 * half-understood request. No Node imports: this file is also type-checked in the renderer's project. What workers
 * and GPU pages send main is checked by the schemas it is defined with (schema/messages.ts), in the same words.
 */
import { ConfigError, validateConfig } from '../training/core/config';
import { REQUEST_KEYS, REQUIRED_KEYS, SETTINGS } from './schema/settings';
import { describeValue as describe, keyList } from './describe-value';
import {
  IMAGE_PIXELS, MAX_TEST_IMAGES, type ExportFormat, type InvokeChannel, type InvokeChannels, type TrainRequest,
} from './ipc-contract';

export class IpcValidationError extends Error {
  override name = 'IpcValidationError';
}

/**
 * The run manager's ids: start time (UTC, to the millisecond), device and 6 random hex digits; safe as a file name.
 * The year takes 4 to 6 digits, so a clock set far ahead (the year 10000 and on) still makes ids rows may carry.
 */
export const RUN_ID_PATTERN = /^\d{8,10}-\d{9}-(cpu|gpu)-[0-9a-f]{6}$/;

/** Every id this process has made: two runs in one millisecond on one device never share an id. */
const madeIds = new Set<string>();

export function makeRunId(device: 'cpu' | 'gpu', at: Date, random: () => number = Math.random): string {
  const pad = (n: number, width: number) => String(n).padStart(width, '0');
  const day = `${pad(Math.max(0, at.getUTCFullYear()), 4)}${pad(at.getUTCMonth() + 1, 2)}${pad(at.getUTCDate(), 2)}`;
  const time = `${pad(at.getUTCHours(), 2)}${pad(at.getUTCMinutes(), 2)}${pad(at.getUTCSeconds(), 2)}${pad(at.getUTCMilliseconds(), 3)}`;
  // A suffix already used steps to the next one rather than drawing again: a fixed `random` (tests) still ends.
  for (let n = Math.floor(random() * 0x1000000); ; n = (n + 1) % 0x1000000) {
    const id = `${day}-${time}-${device}-${n.toString(16).padStart(6, '0')}`;
    if (madeIds.has(id)) continue;
    madeIds.add(id);
    return id;
  }
}

/** Training images in MNIST's training split: the most a quick run can ask for. */
export const MAX_LIMIT = SETTINGS.limit.max;
const MAX_PATH_LENGTH = 4096;
const EXPORT_FORMATS: readonly ExportFormat[] = ['pth', 'safetensors', 'tfjs', 'onnx'];

type Checker = (arg: unknown, system: PathSystem) => unknown;

const none: Checker = (arg) => {
  if (arg !== undefined && arg !== null) fail(`expects no argument, got ${describe(arg)}`);
  return undefined;
};

const CHECKS: { [C in InvokeChannel]: Checker } = {
  'app:info': none,
  'devices:get': (arg) => {
    if (arg === undefined || arg === null) return undefined;
    const o = record(arg, ['refresh']);
    if (o.refresh !== undefined && typeof o.refresh !== 'boolean') fail(`refresh must be true or false, got ${describe(o.refresh)}`);
    return o.refresh === undefined ? {} : { refresh: o.refresh };
  },
  'training:start': (arg, system) => trainRequest(arg, true, system),
  'training:compare': (arg, system) => {
    const { device: _omitted, ...rest } = trainRequest(arg, false, system);
    return rest;
  },
  'training:cancel': (arg) => ({ id: runId(record(arg, ['id']).id) }),
  'training:queue': none,
  'history:list': none,
  'history:delete': (arg) => ({ id: runId(record(arg, ['id']).id) }),
  'history:export-csv': none,
  'weights:export': (arg) => {
    const o = record(arg, ['id', 'format']);
    const id = runId(o.id);
    if (o.format === undefined) return { id };
    if (!EXPORT_FORMATS.includes(o.format as ExportFormat)) {
      fail(`format must be one of ${EXPORT_FORMATS.join(', ')}, got ${describe(o.format)}`);
    }
    return { id, format: o.format as ExportFormat };
  },
  'dataset:choose': none,
  'model:predict': (arg) => predictRequest(arg),
  'model:test-images': (arg) => testImagesRequest(arg),
};

/**
 * Checks `arg` for `channel` and returns a fresh copy holding only the checked fields, so nothing the check did not
 * look at (extra keys, prototypes, getters) reaches a handler. Throws IpcValidationError with a readable message.
 * `system` says how a folder path must look (tests ask for the other system's rules); this machine's by default.
 */
export function validateArg<C extends InvokeChannel>(channel: C, arg: unknown, system: PathSystem = HOST_PATH_SYSTEM): InvokeChannels[C]['arg'] {
  if (!Object.hasOwn(CHECKS, channel)) throw new IpcValidationError(`unknown channel ${describe(channel)}`);
  try {
    return CHECKS[channel](arg, system) as InvokeChannels[C]['arg'];
  } catch (err) {
    // Our own refusals are already short; anything else (a proxy trap or getter that throws, a stack overflow)
    // is the payload's fault, said in a bounded line rather than in the thrown thing's own words.
    const message = err instanceof Refusal ? err.message : 'the argument cannot be read (a getter or proxy in it throws)';
    throw new IpcValidationError(`invalid argument for "${channel}": ${clip(message)}`);
  }
}

/*
 * The building blocks of main's validators: a check throws a Refusal naming the field and a short description of
 * the value; the entry point words it. schema/messages.ts words its refusals the same way.
 */

/** The longest refusal: a few problems, each naming its field and a clipped value. */
const MAX_MESSAGE = 600;
export const clipRefusal = (text: string) => (text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 3)}...` : text);
const clip = clipRefusal;

/** One check's refusal, already in words; anything else a check throws is the payload's fault (a throwing getter). */
export class Refusal extends Error {}

export function fail(message: string): never {
  throw new Refusal(message);
}

/**
 * A plain object with no keys outside `allowed` ("__proto__" or "constructor" sent as data count as unknown), as a
 * fresh null-prototype copy of the allowed keys. `field` names the object in refusals (`result.timings`); without it
 * they speak of the whole argument.
 */
export function record(arg: unknown, allowed: readonly string[], field?: string): Record<string, unknown> {
  if (typeof arg !== 'object' || arg === null || Array.isArray(arg)) {
    fail(field ? `${field} must be an object, got ${describe(arg)}` : `expects an object, got ${describe(arg)}`);
  }
  const proto = Object.getPrototypeOf(arg);
  if (proto !== Object.prototype && proto !== null) fail(field ? `${field} must be a plain object` : 'expects a plain object');
  // A key whose value is undefined says nothing, as in JSON: `{ limit: undefined }` is the same as `{}`.
  const keys = Reflect.ownKeys(arg).filter((k) => {
    const desc = Object.getOwnPropertyDescriptor(arg, k)!;
    return !('value' in desc) || desc.value !== undefined;
  });
  const unknown = keys.filter((k) => typeof k !== 'string' || !allowed.includes(k));
  if (unknown.length > 0) {
    fail(`${field ? `${field} has ` : ''}unknown key${unknown.length > 1 ? 's' : ''} ${keyList(unknown)}`);
  }
  const out: Record<string, unknown> = Object.create(null);
  for (const key of allowed) {
    const desc = Object.getOwnPropertyDescriptor(arg, key);
    if (desc && !('value' in desc)) fail(`"${field ? `${field}.` : ''}${key}" must be a plain value`);
    if (desc) out[key] = desc.value;
  }
  return out;
}

function runId(id: unknown): string {
  if (typeof id !== 'string' || !RUN_ID_PATTERN.test(id)) fail(`id must be a run id like "20250102-030405678-cpu-1a2b3c", got ${describe(id)}`);
  return id;
}

/** A drawn image: exactly 784 finite numbers in the normalised range [-1, 1]. */
function predictRequest(arg: unknown): InvokeChannels['model:predict']['arg'] {
  const o = record(arg, ['id', 'pixels']);
  const id = runId(o.id);
  const pixels = o.pixels;
  if (!Array.isArray(pixels) || pixels.length !== IMAGE_PIXELS) {
    fail(`pixels must be an array of ${IMAGE_PIXELS} numbers, got ${Array.isArray(pixels) ? `${pixels.length} values` : describe(pixels)}`);
  }
  const bad = pixels.findIndex((v) => typeof v !== 'number' || !(v >= -1 && v <= 1));
  if (bad >= 0) fail(`pixels[${bad}] must be a number from -1 to 1, got ${describe(pixels[bad])}`);
  return { id, pixels: pixels.slice() as number[] };
}

/** Up to MAX_TEST_IMAGES distinct whole indices; whether each is inside the run's test split is the handler's check. */
function testImagesRequest(arg: unknown): InvokeChannels['model:test-images']['arg'] {
  const o = record(arg, ['id', 'indices']);
  const id = runId(o.id);
  const indices = o.indices;
  if (!Array.isArray(indices) || indices.length < 1 || indices.length > MAX_TEST_IMAGES) {
    fail(`indices must be an array of 1 to ${MAX_TEST_IMAGES} test image numbers, got ${Array.isArray(indices) ? `${indices.length}` : describe(indices)}`);
  }
  const bad = indices.findIndex((v) => !Number.isInteger(v) || (v as number) < 0 || (v as number) >= MAX_LIMIT);
  if (bad >= 0) fail(`indices[${bad}] must be a whole number from 0 to ${MAX_LIMIT - 1}, got ${describe(indices[bad])}`);
  if (new Set(indices).size !== indices.length) fail('indices must not repeat');
  return { id, indices: indices.slice() as number[] };
}

function trainRequest(arg: unknown, withDevice: boolean, system: PathSystem): TrainRequest {
  const keys = withDevice ? REQUEST_KEYS : REQUEST_KEYS.filter((k) => k !== 'device');
  const o = record(arg, keys);
  // The form always sends every setting; a missing one is a renderer bug, not a wish for the default.
  const required = REQUIRED_KEYS.filter((k) => keys.includes(k) && o[k] === undefined);
  if (required.length > 0) fail(`missing ${required.map((k) => `"${k}"`).join(', ')}`);
  const problems: string[] = [];
  // The app's own bound on a quick run (the core reads any positive limit), and a folder this machine may read.
  const limit = SETTINGS.limit;
  if (o.limit !== undefined && (!Number.isInteger(o.limit) || (o.limit as number) < limit.min || (o.limit as number) > limit.max)) {
    problems.push(`limit must be a whole number from ${limit.min} to ${limit.max}, got ${describe(o.limit)}`);
  }
  const folderProblem = o.dataDir === undefined ? null : localFolderProblem(o.dataDir, 'dataDir', system);
  if (folderProblem) problems.push(folderProblem);
  let config;
  try {
    // The training core's own check: one definition of the ranges for the CLI, the worker and IPC.
    config = validateConfig({ ...o, device: withDevice ? o.device : 'cpu', limit: undefined, dataDir: undefined });
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.unshift(err.message);
  }
  if (problems.length > 0 || !config) fail(problems.join('; '));
  const checked: Record<string, unknown> = { ...config, limit: o.limit, dataDir: o.dataDir };
  return Object.fromEntries(REQUEST_KEYS.flatMap((k) => (checked[k] === undefined ? [] : [[k, checked[k]]]))) as TrainRequest;
}

/** How paths are spelled where main runs: a drive letter and either slash on Windows, one root "/" elsewhere. */
export type PathSystem = 'win32' | 'posix';

/** The system this code runs on; POSIX where there is no `process` (the renderer's project type-checks this file). */
export const HOST_PATH_SYSTEM: PathSystem =
  (globalThis as { process?: { platform?: string } }).process?.platform === 'win32' ? 'win32' : 'posix';

const WINDOWS_FORBIDDEN = /[<>"|?*:\u0000-\u001f]/;

/**
 * Why `value` is not a folder Athanor may read training data from on `system`, as one line naming `field`; null
 * when it is one: an absolute path on this computer's own drives, at most 4,096 characters, with no "." or ".."
 * parts. Refused with their own reasons: relative paths, network paths (`\\host\share`, `//host/share`: reading one
 * makes Windows hand the user's credentials to whatever host a compromised renderer names), device paths (`\\?\`,
 * `\\.\`), another system's paths (`C:\data` on Linux or macOS), NUL, and the characters Windows forbids in names.
 */
export function localFolderProblem(value: unknown, field: string, system: PathSystem = HOST_PATH_SYSTEM): string | null {
  if (typeof value !== 'string' || value.length === 0) return `${field} must be a folder path, got ${describe(value)}`;
  if (value.length > MAX_PATH_LENGTH) {
    return `${field} is ${value.length.toLocaleString('en-US')} characters long; a folder path has at most ${MAX_PATH_LENGTH.toLocaleString('en-US')}`;
  }
  if (value.includes('\0')) return `${field} holds a NUL character, which no path can`;
  const shown = `${field} ${describe(value)}`;
  const windows = system === 'win32';
  if (/^[\\/]{2}/.test(value)) {
    if (value[2] === '?' || value[2] === '.') {
      return `${shown} is a device path, not a folder: give the folder's own path${windows ? ', like "C:\\data\\mnist"' : ''}`;
    }
    return `${shown} is a network path: Athanor reads data from this computer's own drives only (copy the folder here${windows ? ', or map the share to a drive letter' : ''})`;
  }
  const driveAbsolute = /^[A-Za-z]:[\\/]/.test(value);
  if (!windows && driveAbsolute) return `${shown} is a Windows path; on this system a folder path starts with "/"`;
  if (!windows && !value.startsWith('/')) return `${shown} is not an absolute path; on this system a folder path starts with "/"`;
  if (windows && !driveAbsolute) return `${shown} is not an absolute path; on Windows a folder path starts with a drive, like "C:\\"`;
  if (windows) {
    const bad = WINDOWS_FORBIDDEN.exec(value.slice(2));
    if (bad) return `${shown} holds ${describe(bad[0])}, which Windows does not allow in a path`;
  }
  const parts = value.split(windows ? /[\\/]/ : '/');
  if (parts.some((part) => part === '.' || part === '..')) return `${shown} has a "." or ".." part; give the folder's own path`;
  return null;
}
