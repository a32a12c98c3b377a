/** What the fused-step probe trains and the test checks: a full batch of 64 real images, then a partial one of 40. */
export const SEED = 7;
export const FIRST = 64;
export const SECOND = 40;
export const LR = 0.01;
export const MOMENTUM = 0.9;
