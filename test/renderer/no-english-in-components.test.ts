/**
 * Every word a component shows comes from the catalogues (electron/shared/i18n), so that it exists in English and
 * Chinese: this reads each component with Svelte's own parser and fails on English written into one. It looks at
 * the template's text, the attributes people read or hear (aria-*, title, placeholder, alt, label), the string
 * literals the template shows (a word alone included: {done ? 'next' : 'last'}), and sentence-like literals in the
 * component's script. A one-word constant in the script shown through a variable is beyond a reading of the source:
 * zh-cn.browser.test.ts reads what the Chinese page shows and speaks, and catches it there.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'svelte/compiler';
import { describe, expect, it } from 'vitest';

const ROOT = join(import.meta.dirname, '../../renderer/src');
const COMPONENTS = [
  ...readdirSync(join(ROOT, 'components')).map((f) => join('components', f)),
  ...readdirSync(ROOT).filter((f) => f.endsWith('.svelte')),
].filter((f) => f.endsWith('.svelte'));

/** Attributes a person reads or hears; the rest (class, id, type, role, data-*) are for code. */
const SPOKEN = /^(aria-(label|description|roledescription|valuetext|placeholder)|title|placeholder|alt|label)$/;
/** Text that is not language: the product's name, symbols, numbers, units that read the same in Chinese. */
const NOT_WORDS = /^(Athanor|MNIST|CPU|GPU|ms|px|x|[·×–—…%/:()+\-\s\d.,]*)$/;
const hasWords = (text: string) =>
  text
    .split(/[^A-Za-z]+/)
    .filter((w) => w.length >= 2)
    .some((w) => !NOT_WORDS.test(w));
/** A literal in the script that reads as a sentence or a label: "Cancel", "Training started", "no runs yet". */
const SENTENCE = /^[A-Z][a-z]+(\b|$)|[a-z]{2,} [a-z]{2,}.*[a-z]/;

type Node = { type?: string; [key: string]: unknown };

/**
 * The string literals an expression evaluates to as they are: itself, a conditional's branches, either side of ||,
 * ?? and +. A literal passed to a call (a catalogue key, a class name) or compared with (=== 'cpu') is not shown.
 */
function shownLiterals(expression: unknown): string[] {
  const e = expression as Node | null;
  if (!e || typeof e !== 'object') return [];
  switch (e.type) {
    case 'Literal':
      return typeof e.value === 'string' ? [e.value] : [];
    case 'ConditionalExpression':
      return [...shownLiterals(e.consequent), ...shownLiterals(e.alternate)];
    case 'LogicalExpression':
      return [...shownLiterals(e.left), ...shownLiterals(e.right)];
    case 'BinaryExpression':
      return e.operator === '+' ? [...shownLiterals(e.left), ...shownLiterals(e.right)] : [];
    default:
      return [];
  }
}

function findings(file: string): string[] {
  const source = readFileSync(join(ROOT, file), 'utf8');
  const ast = parse(source, { modern: true }) as unknown as { fragment: Node; instance?: { content: Node } };
  const found: string[] = [];
  const note = (what: string, text: string): void => void found.push(`${file}: ${what} ${JSON.stringify(text.trim())}`);

  const walkTemplate = (node: unknown, spoken: boolean, attribute: string | null): void => {
    if (Array.isArray(node)) return node.forEach((n) => walkTemplate(n, spoken, attribute));
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'Text' && (attribute === null || spoken) && hasWords(String(n.data))) {
      return note(attribute ? `attribute ${attribute}` : 'text', String(n.data));
    }
    if (n.type === 'Literal' && typeof n.value === 'string' && (attribute === null || spoken) && hasWords(n.value)) {
      // In the template a literal is shown unless it is a key, a class list or another code word.
      if (SENTENCE.test(n.value)) return note('literal', n.value);
    }
    if (n.type === 'TemplateElement' && (attribute === null || spoken)) {
      // `${count} images` shown as text or in a spoken attribute: the words between the values.
      const raw = (n.value as { cooked?: string }).cooked ?? '';
      if (hasWords(raw) && /[A-Za-z]{2,}/.test(raw.replace(/^[^A-Za-z]*/, ''))) return note('template', raw);
    }
    if (n.type === 'ExpressionTag' && (attribute === null || spoken)) {
      // A literal the tag shows as it is ({'OK'}, {done ? 'next' : 'last'}): any word in it is English on screen.
      for (const text of shownLiterals(n.expression)) if (hasWords(text)) note('shown literal', text);
    }
    if (n.type === 'Attribute' && typeof n.name === 'string') {
      return walkTemplate(n.value, SPOKEN.test(n.name), n.name);
    }
    if (n.type === 'ClassDirective' || n.type === 'StyleDirective' || n.type === 'BindDirective') return;
    for (const [key, value] of Object.entries(n))
      if (key !== 'type' && key !== 'metadata') walkTemplate(value, spoken, attribute);
  };

  const walkScript = (node: unknown): void => {
    if (Array.isArray(node)) return node.forEach(walkScript);
    if (!node || typeof node !== 'object') return;
    const n = node as Node;
    if (n.type === 'ImportDeclaration') return;
    if (n.type === 'Literal' && typeof n.value === 'string' && SENTENCE.test(n.value) && hasWords(n.value)) {
      return note('script literal', n.value);
    }
    if (n.type === 'TemplateElement') {
      const raw = (n.value as { cooked?: string }).cooked ?? '';
      if (SENTENCE.test(raw) && hasWords(raw)) return note('script template', raw);
    }
    for (const [key, value] of Object.entries(n)) if (key !== 'type' && key !== 'metadata') walkScript(value);
  };

  walkTemplate(ast.fragment, false, null);
  if (ast.instance) walkScript(ast.instance.content);
  return found;
}

describe('components speak through the catalogues', () => {
  it('finds the components', () => {
    expect(COMPONENTS.length).toBeGreaterThan(25);
  });

  it.each(COMPONENTS)('%s has no English written into it', (file) => {
    expect(findings(file)).toEqual([]);
  });
});
