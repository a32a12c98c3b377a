import type { results as en } from '../en/results';
import type { Translation } from '../messages';

/** 简体中文: results. */
export const results: Translation<typeof en> = {};
