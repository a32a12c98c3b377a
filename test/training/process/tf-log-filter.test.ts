import { describe, expect, it } from 'vitest';
import { createTfLogFilter, isTensorFlowInfo } from '../../../electron/training/process/tf-log-filter';

// Lines as libtensorflow 2.21 (pip's tensorflow-cpu) printed them on this machine.
const PREINIT = 'WARNING: All log messages before absl::InitializeLog() is called are written to STDERR';
const ONEDNN =
  'I0000 00:00:1796248846.457767   12165 port.cc:153] oneDNN custom operations are on. You may see slightly ' +
  'different numerical results due to floating-point round-off errors from different computation orders.';
const GUARD =
  'I0000 00:00:1796248847.179096   12197 cpu_feature_guard.cc:227] This TensorFlow binary is optimized to use ' +
  'available CPU instructions in performance-critical operations.';
const GUARD_MORE =
  'To enable the following instructions: AVX2 AVX512F FMA, in other operations, rebuild TensorFlow with the ' +
  'appropriate compiler flags.';

function filtered(chunks: string[]): string {
  let out = '';
  const filter = createTfLogFilter((text) => (out += text));
  chunks.forEach((c) => filter.push(c));
  filter.end();
  return out;
}

describe('libtensorflow log filter', () => {
  it("drops Dawn's missing-Vulkan warning with its source line, which a reason says instead", () => {
    // As dawn.node (webgpu 0.6.2) printed it here, with no libvulkan.so.1 to load.
    const dawn =
      "Warning: Couldn't load Vulkan: libvulkan.so.1: cannot open shared object file: No such file or directory\n" +
      '    at operator() (/home/runner/work/node-webgpu/node-webgpu/third_party/dawn/src/dawn/native/vulkan/BackendVk.cpp:368)\n\n';
    expect(filtered([`before\n${dawn}after\n`])).toBe('before\nafter\n');
    expect(filtered(`${dawn}Warning: something else\n`.match(/.{1,5}/gs)!)).toBe('Warning: something else\n');
  });

  it('drops the start-up info lines and their continuation, keeps everything else', () => {
    const text = [PREINIT, ONEDNN, GUARD, GUARD_MORE, 'athanor worker: something real', ''].join('\n');
    expect(filtered([text])).toBe('athanor worker: something real\n');
  });

  it('keeps warnings and errors from TensorFlow, and lines however the chunks split them', () => {
    const warning =
      'W0000 00:00:1796248846.457767   12165 cpu_allocator_impl.cc:83] Allocation of 8589934592 exceeds 10% of free system memory.';
    const error = 'E0000 00:00:1796248846.457767   12165 some.cc:1] failed';
    const text = `${ONEDNN}\n${warning}\n${error}\nTo enable the following instructions: kept here, not after an info line\n`;
    const chunks = text.match(/.{1,7}/gs)!;
    expect(filtered(chunks)).toBe(
      `${warning}\n${error}\nTo enable the following instructions: kept here, not after an info line\n`,
    );
  });

  it('flushes a last line without a newline', () => {
    expect(filtered(['Error: boom'])).toBe('Error: boom');
    expect(isTensorFlowInfo(ONEDNN)).toBe(true);
    expect(isTensorFlowInfo('I think so')).toBe(false);
  });
});
