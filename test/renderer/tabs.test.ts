import { describe, expect, it } from 'vitest';
import { tabKeyTarget } from '../../renderer/src/lib/tabs';

describe("the tabs pattern's keys", () => {
  it('moves with the arrows, wrapping, and jumps with Home and End', () => {
    expect(tabKeyTarget('ArrowRight', 0, 2)).toBe(1);
    expect(tabKeyTarget('ArrowRight', 1, 2)).toBe(0);
    expect(tabKeyTarget('ArrowLeft', 0, 3)).toBe(2);
    expect(tabKeyTarget('ArrowLeft', 2, 3)).toBe(1);
    expect(tabKeyTarget('Home', 2, 3)).toBe(0);
    expect(tabKeyTarget('End', 0, 3)).toBe(2);
  });

  it('leaves every other key, and an empty tablist, alone', () => {
    expect(tabKeyTarget('Enter', 0, 2)).toBeNull();
    expect(tabKeyTarget('ArrowDown', 0, 2)).toBeNull();
    expect(tabKeyTarget('ArrowRight', 0, 0)).toBeNull();
  });
});
