// A targeted reader of EC2 DescribeInstances answers (EC2 query protocol, XML): it walks the
// document once, tracking only the element path, and keeps exactly what the inventory shows
// (owner, instance id, state, private and public IP, tags) and the nextToken. The SDK's general
// parser builds an object of every one of the ~80 elements per instance first, which made the
// EC2 join the slowest part of listing 100,000 instances.

/**
 * The parts of an EC2 Instance the inventory reads, named and typed as the SDK's Instance, so an
 * SDK Reservation is one too.
 */
export interface LeanInstance {
  InstanceId?: string | undefined;
  PrivateIpAddress?: string | undefined;
  PublicIpAddress?: string | undefined;
  State?: { Name?: string | undefined } | undefined;
  Tags?: { Key?: string | undefined; Value?: string | undefined }[] | undefined;
}

export interface LeanReservation {
  OwnerId?: string | undefined;
  Instances?: LeanInstance[] | undefined;
}

export interface LeanDescribeInstances {
  reservations: LeanReservation[];
  nextToken?: string;
}

/** A reservation being read: its instances list always exists. */
interface OpenReservation extends LeanReservation {
  Instances: LeanInstance[];
}

const ENTITIES: Record<string, string> = {
  amp: '&',
  lt: '<',
  gt: '>',
  quot: '"',
  apos: "'",
};

/** Text content with XML's five named entities and numeric character references decoded. */
export function decodeXmlText(raw: string): string {
  if (!raw.includes('&')) return raw;
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|[a-z]+);/g, (whole, name: string) => {
    if (name.startsWith('#x')) return safeCodePoint(Number.parseInt(name.slice(2), 16), whole);
    if (name.startsWith('#')) return safeCodePoint(Number.parseInt(name.slice(1), 10), whole);
    return ENTITIES[name] ?? whole;
  });
}

function safeCodePoint(code: number, fallback: string): string {
  return Number.isInteger(code) && code >= 0 && code <= 0x10ffff
    ? String.fromCodePoint(code)
    : fallback;
}

/** Which leaf's text is being read; each lives at one fixed path of the document. */
type Field =
  'owner' | 'instanceId' | 'privateIp' | 'publicIp' | 'state' | 'tagKey' | 'tagValue' | 'nextToken';

/**
 * The field at the element path `stack` (root first), or undefined. The paths, under
 * DescribeInstancesResponse: reservationSet/item/ownerId,
 * reservationSet/item/instancesSet/item/{instanceId, privateIpAddress, ipAddress,
 * instanceState/name, tagSet/item/{key,value}}, and nextToken.
 */
function fieldAt(stack: readonly string[]): Field | undefined {
  const depth = stack.length;
  if (depth === 2) return stack[1] === 'nextToken' ? 'nextToken' : undefined;
  if (stack[1] !== 'reservationSet' || stack[2] !== 'item') return undefined;
  if (depth === 4) return stack[3] === 'ownerId' ? 'owner' : undefined;
  if (stack[3] !== 'instancesSet' || stack[4] !== 'item') return undefined;
  const leaf = stack[5];
  if (depth === 6) {
    if (leaf === 'instanceId') return 'instanceId';
    if (leaf === 'privateIpAddress') return 'privateIp';
    if (leaf === 'ipAddress') return 'publicIp';
    return undefined;
  }
  if (depth === 7) return leaf === 'instanceState' && stack[6] === 'name' ? 'state' : undefined;
  if (depth === 8 && leaf === 'tagSet' && stack[6] === 'item') {
    if (stack[7] === 'key') return 'tagKey';
    if (stack[7] === 'value') return 'tagValue';
  }
  return undefined;
}

/**
 * Element name of the tag whose inside is xml[start, end) (`item`, `reservationSet xmlns="…"`,
 * `ec2:item`), read in place: a large answer has tens of thousands of tags.
 */
function tagNameAt(xml: string, start: number, end: number): string {
  let stop = start;
  let colon = -1;
  while (stop < end) {
    const c = xml.charCodeAt(stop);
    // space, tab, CR, LF, '/'
    if (c === 32 || c === 9 || c === 13 || c === 10 || c === 47) break;
    if (c === 58 /* ':' */ && colon === -1) colon = stop;
    stop++;
  }
  return xml.slice(colon === -1 ? start : colon + 1, stop);
}

class Collector {
  readonly result: LeanDescribeInstances = { reservations: [] };
  #reservation: OpenReservation | undefined;
  #instance: LeanInstance | undefined;
  #tag: { Key?: string | undefined; Value?: string | undefined } | undefined;

  open(stack: readonly string[]): void {
    const depth = stack.length;
    if (stack[1] !== 'reservationSet') return;
    if (depth === 3 && stack[2] === 'item') this.#reservation = { Instances: [] };
    else if (depth === 5 && stack[3] === 'instancesSet' && stack[4] === 'item') this.#instance = {};
    else if (depth === 7 && stack[5] === 'tagSet' && stack[6] === 'item') this.#tag = {};
  }

  close(stack: readonly string[]): void {
    const depth = stack.length;
    if (stack[1] !== 'reservationSet') return;
    if (depth === 3 && this.#reservation) {
      this.result.reservations.push(this.#reservation);
      this.#reservation = undefined;
    } else if (depth === 5 && this.#instance) {
      this.#reservation?.Instances.push(this.#instance);
      this.#instance = undefined;
    } else if (depth === 7 && this.#tag && this.#instance) {
      (this.#instance.Tags ??= []).push(this.#tag);
      this.#tag = undefined;
    }
  }

  text(field: Field, value: string): void {
    const instance = this.#instance;
    switch (field) {
      case 'nextToken':
        if (value !== '') this.result.nextToken = value;
        return;
      case 'owner':
        if (this.#reservation) this.#reservation.OwnerId = value;
        return;
      case 'tagKey':
        if (this.#tag) this.#tag.Key = value;
        return;
      case 'tagValue':
        if (this.#tag) this.#tag.Value = value;
        return;
    }
    if (!instance) return;
    if (field === 'instanceId') instance.InstanceId = value;
    else if (field === 'privateIp') instance.PrivateIpAddress = value;
    else if (field === 'publicIp') instance.PublicIpAddress = value;
    else instance.State = { Name: value };
  }
}

/** Skips `<?…?>`, `<!--…-->`, `<![CDATA[…]]>` and `<!DOCTYPE …>`; returns where reading resumes. */
function skipSpecial(xml: string, at: number): number {
  const end = (marker: string, from: number) => {
    const found = xml.indexOf(marker, from);
    if (found === -1) throw new Error('EC2 answered with malformed XML (an unterminated markup).');
    return found + marker.length;
  };
  if (xml.startsWith('<?', at)) return end('?>', at + 2);
  if (xml.startsWith('<!--', at)) return end('-->', at + 4);
  if (xml.startsWith('<![CDATA[', at)) return end(']]>', at + 9);
  return end('>', at + 2);
}

/**
 * Where `</name>` ends (its '>') when the text from `from` runs straight into it, else -1 (child
 * elements, markup, or a prefixed end tag: the general path reads those).
 */
function plainLeafEnd(xml: string, from: number, name: string): number {
  const next = xml.indexOf('<', from);
  if (next === -1 || xml.charCodeAt(next + 1) !== 47 /* '/' */) return -1;
  const end = next + 2 + name.length;
  return xml.startsWith(name, next + 2) && xml.charCodeAt(end) === 62 /* '>' */ ? end : -1;
}

/**
 * Reads a DescribeInstances answer. Throws on a document that is not one (another root, tags that
 * do not nest), so a changed or truncated answer is an error, not an empty listing.
 */
export function parseDescribeInstancesXml(xml: string): LeanDescribeInstances {
  const stack: string[] = [];
  const collector = new Collector();
  let field: Field | undefined;
  let textStart = 0;
  let sawRoot = false;
  let at = xml.indexOf('<');
  while (at !== -1) {
    const next = xml.charCodeAt(at + 1);
    // '?' or '!'
    if (next === 63 || next === 33) {
      if (field !== undefined && xml.startsWith('<![CDATA[', at)) {
        throw new Error('EC2 answered with CDATA where text was expected.');
      }
      at = xml.indexOf('<', skipSpecial(xml, at));
      continue;
    }
    let close = xml.indexOf('>', at);
    if (close === -1) throw new Error('EC2 answered with malformed XML (an unterminated tag).');
    if (next === 47 /* '/' */) {
      const name = tagNameAt(xml, at + 2, close);
      if (stack[stack.length - 1] !== name) {
        throw new Error(`EC2 answered with malformed XML (</${name}> closes nothing open).`);
      }
      if (field !== undefined) collector.text(field, decodeXmlText(xml.slice(textStart, at)));
      field = undefined;
      // Only an item starts or ends a reservation, instance or tag.
      if (name === 'item') collector.close(stack);
      stack.pop();
    } else {
      const name = tagNameAt(xml, at + 1, close);
      if (stack.length === 0 && name !== 'DescribeInstancesResponse') {
        throw new Error(
          `EC2 answered with <${name}> where DescribeInstancesResponse was expected.`,
        );
      }
      sawRoot = true;
      stack.push(name);
      if (name === 'item') collector.open(stack);
      if (xml.charCodeAt(close - 1) === 47 /* '/' */) {
        // <value/>: an empty leaf still sets its field (an empty tag value is a value).
        const empty = fieldAt(stack);
        if (empty !== undefined) collector.text(empty, '');
        if (name === 'item') collector.close(stack);
        stack.pop();
      } else {
        field = fieldAt(stack);
        textStart = close + 1;
        const leafEnd = name === 'item' ? -1 : plainLeafEnd(xml, close + 1, name);
        if (leafEnd !== -1) {
          // Most elements are leaves `<name>text</name>`: read in one step.
          const textEnd = leafEnd - name.length - 2;
          if (field !== undefined)
            collector.text(field, decodeXmlText(xml.slice(textStart, textEnd)));
          field = undefined;
          stack.pop();
          close = leafEnd;
        }
      }
    }
    at = xml.indexOf('<', close + 1);
  }
  if (stack.length > 0) {
    throw new Error(
      `EC2 answered with malformed XML (<${stack[stack.length - 1]}> is never closed).`,
    );
  }
  if (!sawRoot) {
    throw new Error('EC2 answered with no DescribeInstancesResponse.');
  }
  return collector.result;
}
