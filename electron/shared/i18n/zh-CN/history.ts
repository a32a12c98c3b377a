import type { history as en } from '../en/history';
import type { Translation } from '../messages';

/** 简体中文: history. */
export const history: Translation<typeof en> = {};
