import type { scaling as en } from '../en/scaling';
import type { Translation } from '../messages';

/** 简体中文: scaling. */
export const scaling: Translation<typeof en> = {};
