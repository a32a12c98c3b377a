import type { app as en } from '../en/app';
import type { Translation } from '../messages';

/** 简体中文: app. */
export const app: Translation<typeof en> = {};
