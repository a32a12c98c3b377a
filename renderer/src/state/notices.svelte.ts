export interface Notice {
  id: number;
  kind: 'success' | 'error' | 'info';
  text: string;
  /** Optional detail, e.g. the path a file was written to. */
  detail?: string;
}

/** Transient messages (export results, failures) shown in the corner; errors stay until dismissed. */
class Notices {
  items = $state<Notice[]>([]);
  private next = 1;

  push(kind: Notice['kind'], text: string, detail?: string): void {
    const notice: Notice = { id: this.next++, kind, text, detail };
    this.items = [...this.items.slice(-3), notice];
    if (kind !== 'error') setTimeout(() => this.dismiss(notice.id), 8000);
  }

  dismiss(id: number): void {
    this.items = this.items.filter((n) => n.id !== id);
  }
}

export const notices = new Notices();
