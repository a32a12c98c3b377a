import type { report as en } from '../en/report';
import type { Translation } from '../messages';

/** 简体中文: report. */
export const report: Translation<typeof en> = {};
