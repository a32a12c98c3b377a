import type { format as en } from '../en/format';
import type { Translation } from '../messages';

/** 简体中文: format. */
export const format: Translation<typeof en> = {};
