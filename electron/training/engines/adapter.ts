/**
 * What a browser says about its GPU, turned into an `GpuAdapter`: the vendor and name the adapter reports, the
 * native API under it, and whether it is a software rasteriser. Plain functions on strings: the GPU page, device
 * detection and the tests share them. No Node, no DOM.
 */
import type { GpuAdapter } from '../../shared/schema/engine';

/**
 * Software rasterisers that present themselves as GPUs: Chromium's SwiftShader (WebGPU and ANGLE), Mesa's llvmpipe,
 * softpipe and lavapipe (Vulkan), Windows' WARP ("Microsoft Basic Render Driver").
 */
const SOFTWARE = /swiftshader|llvmpipe|softpipe|lavapipe|microsoft basic render|\bwarp\b|software rasteri[sz]er/i;

function isSoftwareName(...names: (string | undefined)[]): boolean {
  return names.some((name) => name !== undefined && SOFTWARE.test(name));
}

/** The subset of WebGPU's GPUAdapterInfo that Chromium fills in (`backend` only with developer features on). */
export interface WebGpuAdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
  backend?: string;
}

const WEBGPU_BACKENDS: Record<string, string> = {
  vulkan: 'Vulkan',
  d3d12: 'D3D12',
  d3d11: 'D3D11',
  metal: 'Metal',
  opengl: 'OpenGL',
  opengles: 'OpenGL ES',
};

/**
 * The API Dawn runs WebGPU on. Chromium reports it (`info.backend`) only with developer features; otherwise it is
 * the platform's: D3D12 on Windows, Metal on macOS, Vulkan on Linux and ChromeOS (Dawn's defaults).
 */
export function webGpuApi(info: WebGpuAdapterInfoLike, platform: string): string {
  // `platform` is Node's name for it ('win32', 'darwin', 'linux'); the page derives it from its user agent.
  const reported = info.backend ? WEBGPU_BACKENDS[info.backend.toLowerCase()] : undefined;
  if (reported) return reported;
  if (platform === 'win32') return 'D3D12';
  if (platform === 'darwin') return 'Metal';
  return 'Vulkan';
}

/**
 * A WebGPU adapter as Athanor shows it. The name is the best the adapter offers: description, then device, then
 * architecture ("swiftshader"), then the vendor alone. `isFallbackAdapter` (GPUAdapterInfo, or the adapter itself in
 * older Chromium) marks a software adapter whatever its name.
 */
export function describeWebGpuAdapter(
  info: WebGpuAdapterInfoLike,
  platform: string,
  isFallbackAdapter = false,
): GpuAdapter {
  const vendor = (info.vendor ?? '').trim() || 'unknown vendor';
  const name =
    [info.description, info.device, info.architecture].map((s) => (s ?? '').trim()).find((s) => s.length > 0) ?? vendor;
  const software =
    isFallbackAdapter || info.isFallbackAdapter === true || isSoftwareName(vendor, name, info.architecture);
  return {
    vendor,
    name: software && /^swiftshader$/i.test(name) ? 'SwiftShader' : name,
    api: webGpuApi(info, platform),
    software,
  };
}

/**
 * WebGL's unmasked vendor and renderer (WEBGL_debug_renderer_info). Chromium's renderer string comes from ANGLE:
 * "ANGLE (<vendor>, <device and API details>, <driver or API>)", e.g.
 * "ANGLE (NVIDIA, NVIDIA GeForce RTX 4070 (0x00002786) Direct3D11 vs_5_0 ps_5_0, D3D11)",
 * "ANGLE (Apple, ANGLE Metal Renderer: Apple M2, Unspecified Version)",
 * "ANGLE (Intel, Mesa Intel(R) UHD Graphics 620 (KBL GT2), OpenGL 4.6)",
 * "ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device (Subzero) (0x0000C0DE)), SwiftShader driver)".
 */
export function describeWebGlRenderer(unmaskedVendor: string, unmaskedRenderer: string): GpuAdapter {
  const angle = /^ANGLE \((.*)\)$/.exec(unmaskedRenderer.trim());
  let vendor = unmaskedVendor.trim() || 'unknown vendor';
  let name = unmaskedRenderer.trim() || 'unknown renderer';
  let api = 'OpenGL';
  if (angle) {
    const parts = splitTopLevel(angle[1]);
    vendor = parts[0] ?? vendor;
    const details = parts.slice(1).join(', ');
    api = angleApi(details);
    name = cleanDeviceName(parts[1] ?? name);
  }
  return { vendor, name, api, software: isSoftwareName(unmaskedVendor, unmaskedRenderer) };
}

function angleApi(details: string): string {
  if (/Direct3D11|D3D11/i.test(details)) return 'D3D11';
  if (/Direct3D9|D3D9/i.test(details)) return 'D3D9';
  if (/Metal/i.test(details)) return 'Metal';
  if (/Vulkan/i.test(details)) return 'Vulkan';
  if (/OpenGL ES/i.test(details)) return 'OpenGL ES';
  return 'OpenGL';
}

/** "NVIDIA GeForce RTX 4070 (0x00002786) Direct3D11 vs_5_0 ps_5_0" -> "NVIDIA GeForce RTX 4070". */
function cleanDeviceName(device: string): string {
  const swift = /SwiftShader Device[^,]*?\)/i.exec(device);
  if (swift) return swift[0].replace(/\s*\(0x[0-9a-f]+\)\)?$/i, ')').replace(/\)\)$/, ')');
  return device
    .replace(/^ANGLE Metal Renderer:\s*/i, '')
    .replace(/^Vulkan [\d.]+ \((.*)\)$/i, '$1')
    .replace(/\s*\(0x[0-9a-f]+\)/gi, '')
    .replace(/\s+(Direct3D\d+|OpenGL|vs_\d|ps_\d).*$/i, '')
    .trim();
}

/** Splits on commas outside parentheses. */
function splitTopLevel(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] === '(') depth++;
    else if (text[i] === ')') depth--;
    else if (text[i] === ',' && depth === 0) {
      parts.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  parts.push(text.slice(start).trim());
  return parts;
}
