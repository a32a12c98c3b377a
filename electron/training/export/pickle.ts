/**
 * The slice of Python's pickle that a PyTorch state_dict needs: protocol 2, written by hand so the exporter needs
 * no Python. The opcodes are the ones CPython's pickler emits for `torch.save(net.state_dict())`, so torch's
 * `weights_only` unpickler (the default since torch 2.6) accepts the file as well as the plain one.
 */

/** What the writer is asked to pickle for each tensor: the storage holding it and its geometry. */
export interface TensorRecord {
  name: string;
  /** Storage key: the archive's `data/<key>` record. */
  key: string;
  numel: number;
  shape: readonly number[];
}

const OP = {
  PROTO: 0x80,
  STOP: 0x2e,
  MARK: 0x28,
  GLOBAL: 0x63,
  REDUCE: 0x52,
  BUILD: 0x62,
  BINPERSID: 0x51,
  EMPTY_TUPLE: 0x29,
  TUPLE: 0x74,
  TUPLE1: 0x85,
  TUPLE2: 0x86,
  TUPLE3: 0x87,
  EMPTY_DICT: 0x7d,
  SETITEM: 0x73,
  SETITEMS: 0x75,
  BINUNICODE: 0x58,
  SHORT_BINUNICODE: 0x8c,
  BININT: 0x4a,
  BININT1: 0x4b,
  BININT2: 0x4d,
  NEWFALSE: 0x89,
  NEWTRUE: 0x88,
  NONE: 0x4e,
  BINPUT: 0x71,
  LONG_BINPUT: 0x72,
  BINGET: 0x68,
  LONG_BINGET: 0x6a,
  MEMOIZE: 0x94,
  FRAME: 0x95,
} as const;

class Writer {
  private bytes: number[] = [];
  private memo = new Map<string, number>();
  op(code: number): void {
    this.bytes.push(code);
  }
  u32(v: number): void {
    this.bytes.push(v & 0xff, (v >>> 8) & 0xff, (v >>> 16) & 0xff, (v >>> 24) & 0xff);
  }
  int(v: number): void {
    this.op(OP.BININT);
    this.u32(v);
  }
  str(s: string): void {
    const utf8 = new TextEncoder().encode(s);
    this.op(OP.BINUNICODE);
    this.u32(utf8.length);
    this.bytes.push(...utf8);
  }
  /** A global is written once and fetched from the memo afterwards, as CPython does. */
  global(module: string, name: string): void {
    const key = `${module}\n${name}`;
    const slot = this.memo.get(key);
    if (slot !== undefined) {
      this.bytes.push(OP.BINGET, slot);
      return;
    }
    this.op(OP.GLOBAL);
    this.bytes.push(...new TextEncoder().encode(`${key}\n`));
    this.memo.set(key, this.memo.size);
    this.bytes.push(OP.BINPUT, this.memo.size - 1);
  }
  intTuple(values: readonly number[]): void {
    this.op(OP.MARK);
    values.forEach((v) => this.int(v));
    this.op(OP.TUPLE);
  }
  emptyOrderedDict(): void {
    this.global('collections', 'OrderedDict');
    this.op(OP.EMPTY_TUPLE);
    this.op(OP.REDUCE);
  }
  done(): Uint8Array {
    return Uint8Array.from(this.bytes);
  }
}

/** `OrderedDict(name -> torch._utils._rebuild_tensor_v2(storage, 0, shape, stride, False, OrderedDict()))`. */
export function pickleStateDict(tensors: readonly TensorRecord[]): Uint8Array {
  const w = new Writer();
  w.op(OP.PROTO);
  w.op(2);
  w.emptyOrderedDict();
  w.op(OP.MARK);
  for (const t of tensors) {
    w.str(t.name);
    w.global('torch._utils', '_rebuild_tensor_v2');
    w.op(OP.MARK);
    // The persistent id torch.load resolves to the storage: ('storage', FloatStorage, key, location, numel).
    w.op(OP.MARK);
    w.str('storage');
    w.global('torch', 'FloatStorage');
    w.str(t.key);
    w.str('cpu');
    w.int(t.numel);
    w.op(OP.TUPLE);
    w.op(OP.BINPERSID);
    w.int(0);
    w.intTuple(t.shape);
    w.intTuple(t.shape.map((_, i) => t.shape.slice(i + 1).reduce((a, b) => a * b, 1)));
    w.op(OP.NEWFALSE);
    w.emptyOrderedDict();
    w.op(OP.TUPLE);
    w.op(OP.REDUCE);
  }
  w.op(OP.SETITEMS);
  w.op(OP.STOP);
  return w.done();
}

/** A tensor as the unpickler found it: its storage's persistent id and its geometry. */
export interface UnpickledTensor {
  storage: { dtype: string; key: string; location: string; numel: number };
  offset: number;
  shape: number[];
  stride: number[];
}

type Value = unknown;
const MARK = Symbol('mark');
const globalRef = (name: string) => ({ global: name });

/**
 * Reads back a state_dict pickle: what this writer emits and what torch.save writes for a plain state_dict
 * (which adds BININT1/2, memo opcodes and a BUILD of `_metadata`). Returns the tensors in file order.
 */
export function unpickleStateDict(bytes: Uint8Array): Map<string, UnpickledTensor> {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const stack: Value[] = [];
  const memo = new Map<number, Value>();
  const text = new TextDecoder();
  let at = 0;
  const popMark = (): Value[] => {
    const m = stack.lastIndexOf(MARK);
    if (m < 0) throw new Error('pickle: MARK missing');
    return stack.splice(m).slice(1);
  };
  const line = (): string => {
    const end = bytes.indexOf(0x0a, at);
    const s = text.decode(bytes.subarray(at, end));
    at = end + 1;
    return s;
  };
  const setItems = (dict: Value, items: Value[]): void => {
    if (!(dict instanceof Map)) throw new Error('pickle: SETITEMS on a non-dict');
    for (let i = 0; i < items.length; i += 2) dict.set(items[i], items[i + 1]);
  };
  for (;;) {
    if (at >= bytes.length) throw new Error('pickle: truncated (no STOP)');
    const code = bytes[at++];
    switch (code) {
      case OP.PROTO:
        at += 1;
        break;
      case OP.FRAME:
        at += 8;
        break;
      case OP.STOP: {
        const result = stack.pop();
        if (!(result instanceof Map)) throw new Error('pickle: the file does not hold a state_dict');
        return result as Map<string, UnpickledTensor>;
      }
      case OP.MARK:
        stack.push(MARK);
        break;
      case OP.GLOBAL:
        stack.push(globalRef(`${line()}.${line()}`));
        break;
      case OP.BINPUT:
        memo.set(bytes[at++], stack[stack.length - 1]);
        break;
      case OP.LONG_BINPUT:
        memo.set(view.getUint32(at, true), stack[stack.length - 1]);
        at += 4;
        break;
      case OP.MEMOIZE:
        memo.set(memo.size, stack[stack.length - 1]);
        break;
      case OP.BINGET:
        stack.push(memo.get(bytes[at++]));
        break;
      case OP.LONG_BINGET:
        stack.push(memo.get(view.getUint32(at, true)));
        at += 4;
        break;
      case OP.BININT:
        stack.push(view.getInt32(at, true));
        at += 4;
        break;
      case OP.BININT1:
        stack.push(bytes[at++]);
        break;
      case OP.BININT2:
        stack.push(view.getUint16(at, true));
        at += 2;
        break;
      case OP.BINUNICODE:
      case OP.SHORT_BINUNICODE: {
        const n = code === OP.BINUNICODE ? view.getUint32(at, true) : bytes[at];
        at += code === OP.BINUNICODE ? 4 : 1;
        stack.push(text.decode(bytes.subarray(at, at + n)));
        at += n;
        break;
      }
      case OP.NEWFALSE:
        stack.push(false);
        break;
      case OP.NEWTRUE:
        stack.push(true);
        break;
      case OP.NONE:
        stack.push(null);
        break;
      case OP.EMPTY_TUPLE:
        stack.push([]);
        break;
      case OP.TUPLE:
        stack.push(popMark());
        break;
      case OP.TUPLE1:
      case OP.TUPLE2:
      case OP.TUPLE3:
        stack.push(stack.splice(-(code - OP.TUPLE1 + 1)));
        break;
      case OP.EMPTY_DICT:
        stack.push(new Map());
        break;
      case OP.SETITEM: {
        const [k, v] = stack.splice(-2);
        setItems(stack[stack.length - 1], [k, v]);
        break;
      }
      case OP.SETITEMS: {
        const items = popMark();
        setItems(stack[stack.length - 1], items);
        break;
      }
      case OP.BUILD:
        stack.pop();
        break; // only OrderedDict's `_metadata`, which load_state_dict does not need
      case OP.BINPERSID: {
        const id = stack.pop() as Value[];
        const [kind, type, key, location, numel] = id as [string, { global: string }, string, string, number];
        if (kind !== 'storage') throw new Error(`pickle: unknown persistent id ${String(kind)}`);
        stack.push({ dtype: type.global, key, location, numel });
        break;
      }
      case OP.REDUCE: {
        const args = stack.pop() as Value[];
        const fn = (stack.pop() as { global?: string }).global;
        if (fn === 'collections.OrderedDict') stack.push(new Map());
        else if (fn === 'torch._utils._rebuild_tensor_v2') {
          const [storage, offset, shape, stride] = args as [UnpickledTensor['storage'], number, number[], number[]];
          stack.push({ storage, offset, shape: [...shape], stride: [...stride] });
        } else throw new Error(`pickle: unsupported call ${String(fn)}`);
        break;
      }
      default:
        throw new Error(`pickle: unsupported opcode 0x${code.toString(16)} at byte ${at - 1}`);
    }
  }
}
