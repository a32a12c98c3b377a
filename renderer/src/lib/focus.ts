/**
 * Focus that outlives the control holding it. A button that removes itself (a queued run's ×, a row's Confirm
 * delete) would leave focus on <body>: the keyboard user is thrown back to the top of the page and a screen reader
 * says nothing. This attachment notices the focused element leaving the page and hands focus on.
 */
import type { Attachment } from 'svelte/attachments';

/**
 * `{@attach keepFocus(() => next)}`: when the element is removed while it (or something in it) has focus, focus
 * goes to what `next` returns once the page has settled (it runs after the update that removed the element, so
 * it may name an element that update created). `next` returns null to leave focus where the browser put it.
 */
export function keepFocus(next: () => HTMLElement | null): Attachment<HTMLElement> {
  return (node) => {
    let held = node.contains(document.activeElement);
    const onin = () => (held = true);
    // Focus moving elsewhere clears it; a removal blurs to nothing (no relatedTarget), which must not.
    const onout = (e: FocusEvent) => {
      if (e.relatedTarget) held = false;
    };
    node.addEventListener('focusin', onin);
    node.addEventListener('focusout', onout);
    return () => {
      node.removeEventListener('focusin', onin);
      node.removeEventListener('focusout', onout);
      if (!held) return;
      // Svelte has taken the element out already; the elements that replace it come in the same update.
      queueMicrotask(() => {
        const active = document.activeElement;
        if (node.isConnected || (active && active !== document.body)) return;
        next()?.focus();
      });
    };
  };
}

/** The first of `candidates` still on the page: where a removed control's focus goes, best choice first. */
export function firstOf(...candidates: (HTMLElement | null | undefined)[]): HTMLElement | null {
  return candidates.find((c) => c && c.isConnected) ?? null;
}
