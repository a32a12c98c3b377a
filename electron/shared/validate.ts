/**
 * Main's gate for everything the renderer sends: each invoke channel's argument is checked (shape, types, ranges,
 * no unknown keys) before any handler acts on it. A compromised or buggy renderer gets a clear error, never a
 * half-understood request. No Node imports: this file is also type-checked in the renderer's project. What workers
 * and GPU pages send main is checked by the schemas it is defined with (schema/messages.ts), in the same words.
 */
import * as v from 'valibot';
import { describeValue as describe } from './describe-value';
import { HOST_PATH_SYSTEM, type PathSystem } from './folder-path';
import type { InvokeChannel, InvokeChannels } from './ipc-contract';
import { issueText } from './schema/fields';
import { channelSchemas } from './schema/ipc';

export { HOST_PATH_SYSTEM, localFolderProblem, type PathSystem } from './folder-path';
export { RUN_ID_PATTERN } from './schema/ipc';

/** Why the gate refused an argument, as data: the renderer's words for it are made in main (services/ipc-answer.ts). */
export type IpcRefusalReason =
  | { code: 'unknown-channel'; channel: unknown }
  /** `detail` is the check's own words: the field, what it must be and the value it got, clipped. */
  | { code: 'invalid-argument'; channel: string; detail: string };

/** The gate's refusal: `reason` says why; the message says it in one line for logs (it names the channel). */
export class IpcValidationError extends Error {
  override name = 'IpcValidationError';
  constructor(readonly reason: IpcRefusalReason) {
    super(
      reason.code === 'unknown-channel'
        ? `unknown channel ${describe(reason.channel)}`
        : `invalid argument for "${reason.channel}": ${reason.detail}`,
    );
  }
}

/** Every id this process has made: two runs in one millisecond on one device never share an id. */
const madeIds = new Set<string>();

export function makeRunId(device: 'cpu' | 'gpu' | 'sweep', at: Date, random: () => number = Math.random): string {
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

/** Each system's channel schemas, built once when first asked for. */
const schemas = new Map<PathSystem, ReturnType<typeof channelSchemas>>();

/**
 * Checks `arg` for `channel` and returns a fresh copy holding only the checked fields, so nothing the check did not
 * look at (extra keys, prototypes, getters) reaches a handler. Throws IpcValidationError with a readable message.
 * `system` says how a folder path must look (tests ask for the other system's rules); this machine's by default.
 */
export function validateArg<C extends InvokeChannel>(
  channel: C,
  arg: unknown,
  system: PathSystem = HOST_PATH_SYSTEM,
): InvokeChannels[C]['arg'] {
  if (!schemas.has(system)) schemas.set(system, channelSchemas(system));
  const channelSchema = schemas.get(system)!;
  if (!Object.hasOwn(channelSchema, channel)) throw new IpcValidationError({ code: 'unknown-channel', channel });
  try {
    const checked = v.safeParse(channelSchema[channel], arg, { abortEarly: true });
    if (!checked.success) fail(issueText(checked.issues[0], ''));
    return checked.output as InvokeChannels[C]['arg'];
  } catch (err) {
    // Our own refusals are already short; anything else (a proxy trap or getter that throws, a stack overflow)
    // is the payload's fault, said in a bounded line rather than in the thrown thing's own words.
    const message =
      err instanceof Refusal ? err.message : 'the argument cannot be read (a getter or proxy in it throws)';
    throw new IpcValidationError({ code: 'invalid-argument', channel, detail: clip(message) });
  }
}

/*
 * The building blocks of main's validators: a check throws a Refusal naming the field and a short description of
 * the value; the entry point words it. schema/messages.ts words its refusals the same way.
 */

/** The longest refusal: a few problems, each naming its field and a clipped value. */
const MAX_MESSAGE = 600;
export const clipRefusal = (text: string) =>
  text.length > MAX_MESSAGE ? `${text.slice(0, MAX_MESSAGE - 3)}...` : text;
const clip = clipRefusal;

/** One check's refusal, already in words; anything else a check throws is the payload's fault (a throwing getter). */
export class Refusal extends Error {}

export function fail(message: string): never {
  throw new Refusal(message);
}
