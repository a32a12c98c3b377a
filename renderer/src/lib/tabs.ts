/**
 * The keys of the WAI-ARIA tabs pattern (https://www.w3.org/WAI/ARIA/apg/patterns/tabs/), for a horizontal
 * tablist: the index of the tab `key` moves to from tab `index` of `count`, or null for a key the tablist leaves
 * alone. The arrows wrap around; Home and End go to the first and the last tab.
 */
export function tabKeyTarget(key: string, index: number, count: number): number | null {
  if (count <= 0) return null;
  switch (key) {
    case 'ArrowRight':
      return (index + 1) % count;
    case 'ArrowLeft':
      return (index - 1 + count) % count;
    case 'Home':
      return 0;
    case 'End':
      return count - 1;
    default:
      return null;
  }
}
