import type { format as en } from '../en/format';
import type { Translation } from '../messages';

/** 简体中文: numbers with their units, durations, engines and runs as the whole UI shows them (lib/format.ts). */
export const format: Translation<typeof en> = {
  seconds: '{{value}} 秒',
  minutesSeconds: '{{minutes}} 分 {{seconds}} 秒',
  hoursMinutes: '{{hours}} 小时 {{minutes}} 分',
  underASecond: '不到 1 秒',
  notMeasured: '未测得',
  rate: '{{value}} 张/秒',
  speedup: '{{value}} 倍',
  shown: {
    epochs: '{{value}} 轮',
    batchSize: '批大小 {{value}}',
    lr: '学习率 {{value}}',
    momentum: '动量 {{value}}',
    seed: '种子 {{value}}',
    limit: '前 {{value}} 张图像',
  },
  dataFolder: '数据：{{folder}}',
  wasmFallback: 'wasm（后备）',
  engineOn: '{{engine}}，运行于 {{adapter}}',
  step: {
    fused: '{{engine}}（融合训练步）',
    tfjs: '{{engine}}（tfjs 内核）',
  },
  features: {
    libtensorflow: 'libtensorflow {{version}}',
    threads_one: '{{count}} 个线程',
    threads_other: '{{count}} 个线程',
    simd: 'SIMD',
    noSimd: '无 SIMD',
    singleThread: '单线程',
    singleThreadFailed: '单线程（多线程版本未能启动：{{reason}}）',
    separator: '，',
  },
  testAccuracy: '测试集准确率 {{value}}',
  status: {
    done: '已完成',
    cancelled: '已取消',
    diverged: '已发散',
    failed: '失败',
    running: '训练中',
  },
};
