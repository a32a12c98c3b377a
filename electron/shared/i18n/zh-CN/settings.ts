import type { settings as en } from '../en/settings';
import type { Translation } from '../messages';

/** 简体中文: the settings form and the training controls under it. */
export const settings: Translation<typeof en> = {
  title: '设置',
  referenceDefaults: '恢复参考默认值',
  fields: {
    epochs: '轮数',
    batchSize: '批大小',
    lr: '学习率',
    momentum: '动量',
    seed: '随机种子',
    limit: '图像数（快速训练）',
  },
  placeholders: { limit: '全部' },
  accepts: {
    whole: '须为 {{min}} 到 {{max}} 之间的整数',
    lr: '须为大于 0 的数',
    momentum: '须不小于 0 且小于 1',
    images: '须为 1 到 {{max}} 之间的整数（留空：全部）',
    imagesOfSource: '须为 1 到 {{max}} 之间的整数：该数据源只有 {{images}} 张训练图像（留空：全部）',
  },
  gpuEngine: 'GPU 引擎',
  auto: '自动',
  engineUnavailable: '{{engine}}（不可用）',
  autoHint: '自动：CUDA 能加载时用 CUDA，否则依次尝试 WebGPU、WebGL',
  dataSource: '数据源',
  bundled: '内置 MNIST',
  images: '训练集 {{train}} 张 · 测试集 {{test}} 张',
  chooseFolder: '选择文件夹…',
  folderRefused: '该文件夹无法用作数据源',
  controls: {
    label: '训练',
    trainCpu: '在 CPU 上训练',
    trainGpu: '在 GPU 上训练',
    compare: '对比：先 CPU，后 GPU',
    compareTitle: '用相同的设置先在 CPU 上训练，再在 GPU 上训练',
    gpuUnavailable: 'GPU 不可用：',
    fixSettings: '请先修正上方的设置，再开始训练。',
    busy: '正在训练：新的训练会在队列中等待。',
  },
};
