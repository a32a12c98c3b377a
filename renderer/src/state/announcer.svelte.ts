/**
 * A polite live region's text for what the user did and nothing on screen says aloud (a queued run removed). Each
 * message is a new node in the region (`count` keys it), so the same sentence twice is read twice.
 */
class Announcer {
  text = $state('');
  count = $state(0);

  /** Reads `text` out politely, once. */
  say(text: string): void {
    this.text = text;
    this.count += 1;
  }
}

export const announcer = new Announcer();
