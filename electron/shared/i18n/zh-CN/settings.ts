import type { settings as en } from '../en/settings';
import type { Translation } from '../messages';

/** 简体中文: settings. */
export const settings: Translation<typeof en> = {};
