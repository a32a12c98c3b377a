import { describe, expect, it } from 'vitest';
import { Listeners } from '../../electron/services/listeners';

describe('Listeners', () => {
  it('tells every listener, reports one that throws without stopping the others, and unsubscribes', () => {
    const reported: unknown[] = [];
    const heard: string[] = [];
    const listeners = new Listeners<number>((err) => reported.push((err as Error).message));
    listeners.subscribe((n) => heard.push(`a${n}`));
    const off = listeners.subscribe(() => {
      throw new Error('broken');
    });
    listeners.subscribe((n) => heard.push(`c${n}`));
    listeners.emit(1);
    off();
    listeners.emit(2);
    expect(heard).toEqual(['a1', 'c1', 'a2', 'c2']);
    expect(reported).toEqual(['broken']);
  });
});
