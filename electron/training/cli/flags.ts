/**
 * The command lines' flags, read in their own words. Node's parseArgs splits the words into tokens (non-strict, so
 * it never throws); every problem is found here from the tokens, so no message of Node's is passed on or read back.
 */
import { parseArgs } from 'node:util';

/** Each flag's name (without `--`) and whether it takes a value (`string`) or is a switch (`boolean`). */
export type FlagTypes = Readonly<Record<string, 'string' | 'boolean'>>;

export interface Flags<T extends FlagTypes> {
  /** Each flag given, by name: its value, or true for a switch; absent when not given. */
  values: { [K in keyof T]?: T[K] extends 'string' ? string : true };
  /** The names given, in order. */
  given: (keyof T & string)[];
}

/**
 * Reads `argv` as `--name value`, `--name=value` and `--switch` flags of `types` (`example`, such as `--epochs 5`, shows
 * a stray word what a flag looks like). Throws `refuse(words)`, one line
 * naming the flag as typed, for an unknown flag (`unknown option --epochz`), a word that belongs to no flag, a flag
 * given twice, a flag that takes a value but has none (last, or followed by another flag: `--epochs --lr 0.1`), and
 * a switch given a value (`--probe=yes`). A value that starts with a dash must be written `--flag=VALUE`; the CLI's
 * number flags join a negative number to their flag before this (joinNegativeValues), for the range check to refuse.
 */
export function readFlags<const T extends FlagTypes>(
  argv: string[],
  types: T,
  refuse: (words: string) => Error,
  example: string,
): Flags<T> {
  const options = Object.fromEntries(Object.entries(types).map(([name, type]) => [name, { type }]));
  const { tokens } = parseArgs({ args: argv, options, strict: false, allowPositionals: true, tokens: true });
  const values: Record<string, string | true> = {};
  const given: string[] = [];
  for (const token of tokens) {
    if (token.kind === 'positional')
      throw refuse(`unexpected "${token.value}": every option is a flag such as ${example}`);
    if (token.kind === 'option-terminator') throw refuse(`unexpected "--": every option is a flag such as ${example}`);
    const { name, rawName } = token;
    const type = Object.hasOwn(types, name) ? types[name] : undefined;
    if (type === undefined || !rawName.startsWith('--')) throw refuse(`unknown option ${rawName}`);
    if (Object.hasOwn(values, name)) throw refuse(`${rawName} is given more than once: give it once`);
    if (type === 'boolean') {
      if (token.value !== undefined) throw refuse(`${rawName} takes no value, got "${token.value}"`);
      values[name] = true;
    } else {
      if (token.value === undefined) throw refuse(`${rawName} needs a value`);
      if (!token.inlineValue && token.value.startsWith('-')) {
        throw refuse(
          `${rawName} needs a value, got the flag "${token.value}"; for a value that starts with "-", write ${rawName}=VALUE`,
        );
      }
      values[name] = token.value;
    }
    given.push(name);
  }
  return { values, given } as Flags<T>;
}
