import type { app as en } from '../en/app';
import type { Translation } from '../messages';

/** 简体中文: the app's shell (top bar, history banner), the About box, notices, and main's refusals. */
export const app: Translation<typeof en> = {
  tagline: 'MNIST CNN · CPU 与 GPU 对比',
  about: '关于',
  historyBanner: '历史记录：',
  dismiss: '知道了',
  dismissNotice: '关闭通知',
  aboutTitle: '关于 {{name}}',
  aboutText:
    '用 TensorFlow.js 在本机的 CPU 和 GPU（NVIDIA、AMD、Intel 或 Apple，通过 WebGPU、WebGL 或 CUDA）上训练 PyTorch 教程中的小型 MNIST 卷积网络（共 {{parameters}} 个参数），分别计时，并可导出权重。',
  version: '版本',
  development: '{{version}}（开发版）',
  platform: '平台',
  cpuEngine: 'CPU 引擎',
  gpuEngine: 'GPU 引擎',
  gpuUnavailable: '不可用：{{reason}}',
  unknownReason: '原因不明',
  close: '关闭',
  refused: 'Athanor 拒绝了该请求：{{detail}}',
  notOwnPage: 'Athanor 拒绝了该请求：它并非来自 Athanor 自己的页面',
  unknownRequest: '此版本的 Athanor 不认识该请求',
  theRequest: '该请求',
};
