/**
 * A notice's words, or how to make them: a function is called each time the notice is drawn, so a notice still on
 * screen when the language changes is drawn again in the new one. Text from main (a path, main's reason) is a string.
 */
export type Words = string | (() => string);

/** The words of `w` now. */
export function say(w: Words): string {
  return typeof w === 'function' ? w() : w;
}

export interface Notice {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: Words;
  /** Optional detail, e.g. the path a file was written to. */
  detail?: Words;
  /**
   * What the notice is about ('start', 'csv', 'cancel:<run id>'): a newer notice on the same topic replaces it, and
   * `clear(topic)` removes it once it no longer applies (the next start worked, the run it was about ended).
   */
  topic?: string;
}

/** Transient messages (export results, failures) shown in the corner; errors stay until dismissed or outdated. */
class Notices {
  items = $state<Notice[]>([]);
  private next = 1;

  push(kind: Notice['kind'], text: Words, detail?: Words, topic?: string): void {
    const notice: Notice = { id: this.next++, kind, text, detail, topic };
    const others = topic === undefined ? this.items : this.items.filter((n) => n.topic !== topic);
    this.items = [...others.slice(-3), notice];
    if (kind !== 'error') setTimeout(() => this.dismiss(notice.id), 8000);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }

  /** Removes the notices on `topic`: what they said is no longer so. */
  clear(topic: string): void {
    if (this.items.some((n) => n.topic === topic)) this.items = this.items.filter((n) => n.topic !== topic);
  }
}

export const notices = new Notices();
