import type { devices as en } from '../en/devices';
import type { Translation } from '../messages';

/** 简体中文: devices. */
export const devices: Translation<typeof en> = {};
