import type { main as en } from '../en/main';
import type { Translation } from '../messages';

/** 简体中文: what main says that belongs to no panel. */
export const main: Translation<typeof en> = {
  report: {
    saveTitle: '导出报告',
    filter: 'HTML 网页',
    notSaved: '报告未能保存：{{why}}',
  },
  resources: {
    mnist: 'MNIST 数据（{{name}}）',
    wasm: '后备 CPU 引擎（wasm）',
    worker: '训练进程',
    gpuPage: 'GPU 页面（WebGPU 和 WebGL 引擎）',
  },
  model: {
    notInHistory: '训练 {{id}} 不在历史记录中',
    noWeights: '训练 {{id}} 没有保存权重：只有完成的训练才会保留权重',
    noSuchImage: '测试图像 {{index}} 不存在：这次训练的测试集只有 {{count}} 张图像',
  },
};
