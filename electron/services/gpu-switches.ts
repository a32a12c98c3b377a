/**
 * Chromium switches the WebGPU engine needs, decided in plain code (main applies them before the app is ready).
 *
 * Windows and macOS ship WebGPU on by default (Chromium 113+): nothing to add there. On Linux Electron leaves
 * WebGPU without an adapter (electron#40929, #41763): Dawn needs Vulkan, and Chromium offers WebGPU on Linux only
 * with `--enable-unsafe-webgpu` and its Vulkan feature on. Vulkan presentation (VK_KHR_surface swapchains) is what
 * breaks windows on some X11 and Wayland desktops ("Swapchain is suboptimal", black windows), so it stays off:
 * `--disable-vulkan-surface` has Chromium present frames as it does without Vulkan, while Dawn still gets Vulkan.
 * `ATHANOR_WEBGPU_VULKAN=0` turns all of it off for a desktop that still misbehaves; WebGL then trains on the GPU.
 */
import type { Reason } from '../shared/reasons';

export interface SwitchPlan {
  switches: [name: string, value?: string][];
  /** Why WebGPU was left off on Linux, for the Devices panel; null when nothing was turned off. */
  note: Reason | null;
}

export function webGpuSwitches(platform: NodeJS.Platform, env: Record<string, string | undefined>): SwitchPlan {
  if (platform !== 'linux') return { switches: [], note: null };
  if (env.ATHANOR_WEBGPU_VULKAN === '0') {
    return { switches: [], note: { code: 'webgpu-off-linux' } };
  }
  return {
    switches: [['enable-unsafe-webgpu'], ['enable-features', 'Vulkan'], ['disable-vulkan-surface']],
    note: null,
  };
}
