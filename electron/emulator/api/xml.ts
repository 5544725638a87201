// A minimal XML writer for the query-protocol answers (EC2, STS): escaped text, nested elements, no attributes but xmlns.

const SPECIAL = /[&<>"']/;

/** Escapes text for element content. */
export function escapeXml(text: string): string {
  // Most values need nothing escaped; testing first spares a copy of each.
  if (!SPECIAL.test(text)) return text;
  return text.replace(/[&<>"']/g, (c) =>
    c === '&' ? '&amp;' : c === '<' ? '&lt;' : c === '>' ? '&gt;' : c === '"' ? '&quot;' : '&apos;',
  );
}

export type XmlContent = string | number | boolean | readonly (string | undefined)[] | undefined;

/**
 * `<name>content</name>`. A string, number or boolean is escaped text; an array holds rendered
 * children (undefined entries are skipped); undefined renders nothing at all.
 */
export function xmlElement(name: string, content: XmlContent, namespace?: string): string {
  const open = namespace === undefined ? name : `${name} xmlns="${escapeXml(namespace)}"`;
  if (Array.isArray(content))
    return `<${open}>${content.filter((c) => c !== undefined).join('')}</${name}>`;
  if (content === undefined) return '';
  return `<${open}>${escapeXml(String(content))}</${name}>`;
}

/** An element rendered even when empty (`<groupSet/>`). */
export function xmlList(name: string, items: readonly string[]): string {
  return items.length === 0 ? `<${name}/>` : `<${name}>${items.join('')}</${name}>`;
}

export function xmlDocument(root: string): string {
  return `<?xml version="1.0" encoding="UTF-8"?>\n${root}`;
}
