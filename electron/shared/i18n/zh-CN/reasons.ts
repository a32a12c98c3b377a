import type { reasons as en } from '../en/reasons';
import type { Translation } from '../messages';

/** 简体中文: reasons. */
export const reasons: Translation<typeof en> = {};
