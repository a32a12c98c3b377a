/**
 * A short description of any value for an error message: at most about MAX_DESCRIPTION characters, whatever the
 * value is (a 50-million-character string, a deep or cyclic object, a getter or proxy trap that throws, a BigInt
 * of a million digits, a symbol), and it never throws. Plain values read as they were sent (`"tpu"`, `-1`, `NaN`);
 * containers by kind and size (`an array of 3 items`, `an object with keys "a", "b"`), because their contents are
 * the caller's problem to name field by field. No Node imports: the renderer's project type-checks this file.
 */
export const MAX_DESCRIPTION = 120;
const STRING_HEAD = 40;

export function describeValue(value: unknown): string {
  try {
    return clip(describeUnsafe(value));
  } catch {
    return 'a value that cannot be read';
  }
}

function describeUnsafe(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return value.length > STRING_HEAD
        ? `${JSON.stringify(value.slice(0, STRING_HEAD))}... (${value.length.toLocaleString('en-US')} characters)`
        : JSON.stringify(value);
    case 'number':
      return Object.is(value, -0) ? '-0' : String(value);
    case 'bigint': {
      // Printing a huge BigInt costs time proportional to its size: only small ones are shown.
      const small = value < 10n ** 20n && value > -(10n ** 20n);
      return small ? `${value}n (a BigInt)` : 'a BigInt of more than 20 digits';
    }
    case 'symbol':
      return `a symbol (${describeKey(value)})`;
    case 'function':
      return 'a function';
    case 'undefined':
      return 'undefined';
    case 'boolean':
      return String(value);
  }
  if (value === null) return 'null';
  if (Array.isArray(value))
    return `an array of ${value.length.toLocaleString('en-US')} item${value.length === 1 ? '' : 's'}`;
  const proto = Object.getPrototypeOf(value);
  if (proto !== Object.prototype && proto !== null) {
    // Object.prototype.toString reads Symbol.toStringTag, which a hostile object can make throw: caught above.
    const tag = Object.prototype.toString.call(value).slice(8, -1);
    return `a ${tag === 'Object' ? 'non-plain object' : `${tag} object`}`;
  }
  return describeKeys(Reflect.ownKeys(value as object));
}

/** `an object with keys "a", "b" and 3 more`: a few names, each clipped. */
export function describeKeys(keys: readonly (string | symbol)[]): string {
  if (keys.length === 0) return 'an empty object';
  return `an object with key${keys.length === 1 ? '' : 's'} ${keyList(keys)}`;
}

/** `"a", "b", "c" and 1,204 more`: the first three names (describeKey), then how many are left out. */
export function keyList(keys: readonly (string | symbol)[]): string {
  const more = keys.length > 3 ? ` and ${(keys.length - 3).toLocaleString('en-US')} more` : '';
  return `${keys.slice(0, 3).map(describeKey).join(', ')}${more}`;
}

/** A property name as a message shows it: `"epochs"`, `Symbol(x)`, each at most about 40 characters. */
export function describeKey(key: string | symbol): string {
  if (typeof key === 'string') return describeUnsafe(key).replace(/ \((\d|,)+ characters\)$/, '');
  const text = key.description ?? '';
  return `Symbol(${text.length > STRING_HEAD ? `${text.slice(0, STRING_HEAD)}...` : text})`;
}

function clip(text: string): string {
  return text.length > MAX_DESCRIPTION ? `${text.slice(0, MAX_DESCRIPTION - 3)}...` : text;
}
