export interface Notice {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
  /** Optional detail, e.g. the path a file was written to. */
  detail?: string;
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

  push(kind: Notice['kind'], text: string, detail?: string, topic?: string): void {
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
