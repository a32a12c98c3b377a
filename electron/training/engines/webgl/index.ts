/**
 * The WebGL engine: @tensorflow/tfjs-backend-webgl on WebGL 2 in Chromium (ANGLE over D3D11, Metal, OpenGL or
 * Vulkan), for machines whose WebGPU has no adapter. Runs in the GPU page only: it needs a canvas.
 */
import * as tf from '@tensorflow/tfjs-core';
import { version_webgl } from '@tensorflow/tfjs-backend-webgl';
import type { EngineInfo, GpuAdapter } from '../../process/protocol';
import { describeWebGlRenderer } from '../adapter';
import type { Reason } from '../../../shared/reasons';
import { EngineUnavailableError } from '../errors';
import { refuseSoftwareAdapter, type BrowserEngineOptions } from '../software';
import { startBackend } from '../start-backend';
import { registerWebGlTrainingKernels } from './kernels';

/** WebGL 2's renderer as WEBGL_debug_renderer_info unmasks it; the reason when there is no WebGL 2. */
export function findWebGlRenderer(): { adapter: GpuAdapter } | { reason: Reason } {
  if (typeof document === 'undefined') return { reason: { code: 'webgl-no-page' } };
  const gl = document.createElement('canvas').getContext('webgl2');
  if (!gl) return { reason: { code: 'webgl-unavailable' } };
  const ext = gl.getExtension('WEBGL_debug_renderer_info');
  const vendor = String(ext ? gl.getParameter(ext.UNMASKED_VENDOR_WEBGL) : gl.getParameter(gl.VENDOR));
  const renderer = String(ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER));
  gl.getExtension('WEBGL_lose_context')?.loseContext();
  return { adapter: describeWebGlRenderer(vendor, renderer) };
}

/** Starts the WebGL backend; a software renderer only with `allowSoftwareAdapter`. */
export async function initWebGl(options: BrowserEngineOptions = {}): Promise<EngineInfo> {
  const found = findWebGlRenderer();
  if ('reason' in found) throw new EngineUnavailableError(found.reason);
  refuseSoftwareAdapter('WebGL', found.adapter, options);
  registerWebGlTrainingKernels();
  await startBackend('webgl', 'WebGL');
  if (!tf.env().getBool('WEBGL_RENDER_FLOAT32_CAPABLE')) {
    // Training in half floats would not be the reference's computation: refuse rather than train wrong.
    throw new EngineUnavailableError({ code: 'webgl-no-float', adapter: found.adapter.name });
  }
  return { engine: 'webgl', device: 'gpu', backend: 'webgl', version: version_webgl, adapter: found.adapter };
}
