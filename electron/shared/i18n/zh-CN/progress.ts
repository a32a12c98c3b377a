import type { progress as en } from '../en/progress';
import type { Translation } from '../messages';

/** 简体中文: progress. */
export const progress: Translation<typeof en> = {};
