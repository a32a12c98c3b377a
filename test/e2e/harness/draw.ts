import type { Page } from 'playwright-core';

/** A stroke in pad coordinates, 0..1 from the pad's top-left corner. */
export type Stroke = [number, number][];

/** A "1": one downstroke, slightly slanted, as most people write it. */
export const ONE: Stroke[] = [
  [
    [0.52, 0.14],
    [0.5, 0.5],
    [0.47, 0.86],
  ],
];

/** A "0": one closed oval, taller than wide. */
export const ZERO: Stroke[] = [
  Array.from({ length: 25 }, (_, i) => {
    const a = (i / 24) * 2 * Math.PI - Math.PI / 2;
    return [0.5 + 0.25 * Math.cos(a), 0.5 + 0.36 * Math.sin(a)] as [number, number];
  }),
];

/** Draws with real mouse events on the pad (scrolled to the middle of the viewport first): press, move along each stroke (in `steps` moves a segment), release. */
export async function drawOnPad(page: Page, strokes: Stroke[], steps = 2): Promise<void> {
  // Mouse events land on whatever is at their point: a pad partly scrolled out of view, or under the sticky top bar,
  // would be drawn beside. In the middle of the viewport it is neither.
  await page.getByTestId('draw-pad').evaluate((pad) => pad.scrollIntoView({ block: 'center', behavior: 'instant' }));
  const box = await page.getByTestId('draw-pad').boundingBox();
  if (!box) throw new Error('the drawing pad is not on screen');
  const at = ([x, y]: [number, number]) => [box.x + x * box.width, box.y + y * box.height] as const;
  for (const stroke of strokes) {
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps });
    await page.mouse.up();
  }
}
