/**
 * Test support: checks that an HTTP response is a well-formed AWS answer in one of the wire
 * protocols the sandbox speaks (awsJson1_1, awsQuery, ec2Query, restXml), success or error, and
 * says which error it carries. Used by the bad-input and fuzz tests.
 */

/** What a response turned out to be. */
export interface AwsAnswer {
  readonly protocol: 'json' | 'query' | 'ec2' | 'xml';
  /** The error code, or undefined for a success. */
  readonly code: string | undefined;
  readonly status: number;
  readonly requestId: string;
}

/** A response that is not a well-formed AWS answer. */
export class MalformedAnswer extends Error {}

const NAME = '[A-Za-z_][\\w.:-]*';
const TAG = new RegExp(`<(/?)(${NAME})((?:\\s+${NAME}\\s*=\\s*"[^"<]*")*)\\s*(/?)>`, 'g');

/**
 * A strict-enough XML well-formedness check for the documents AWS protocols use: one root element,
 * balanced tags, no stray `<`, only the five predefined entities or numeric references.
 * @returns the root element's name.
 */
export function checkXml(text: string): string {
  const body = text.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  let root: string | undefined;
  let last = 0;
  let closedRoot = false;
  const checkText = (chunk: string) => {
    if (chunk.includes('<') || chunk.includes('>')) throw new MalformedAnswer(`stray angle bracket in text: ${chunk.slice(0, 60)}`);
    for (const m of chunk.matchAll(/&([^;\s]*);?/g)) {
      if (!m[0].endsWith(';') || !/^(amp|lt|gt|quot|apos|#[0-9]+|#x[0-9a-fA-F]+)$/.test(m[1]!)) throw new MalformedAnswer(`bad entity ${m[0]}`);
    }
    if (stack.length === 0 && chunk.trim() !== '') throw new MalformedAnswer('text outside the root element');
  };
  for (const m of body.matchAll(TAG)) {
    checkText(body.slice(last, m.index));
    last = m.index + m[0].length;
    const [, closing, name, , selfClosing] = m as unknown as [string, string, string, string, string];
    if (closedRoot) throw new MalformedAnswer('content after the root element');
    if (closing) {
      if (stack.pop() !== name) throw new MalformedAnswer(`unbalanced </${name}>`);
      if (stack.length === 0) closedRoot = true;
    } else {
      root ??= name;
      if (selfClosing) {
        if (stack.length === 0) closedRoot = true;
      } else stack.push(name);
    }
  }
  checkText(body.slice(last));
  if (!root || stack.length > 0 || !closedRoot) throw new MalformedAnswer('unclosed or missing root element');
  return root;
}

function element(xml: string, name: string): string | undefined {
  return new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1];
}

/**
 * Classifies a response.
 * @throws MalformedAnswer when it is neither a well-formed success nor a well-formed error.
 */
export function classifyAnswer(status: number, headers: Headers, body: string): AwsAnswer {
  const requestId = headers.get('x-amzn-requestid') ?? '';
  if (!requestId) throw new MalformedAnswer(`no x-amzn-RequestId (status ${status})`);
  if (status < 200 || status > 599) throw new MalformedAnswer(`status ${status}`);
  const type = (headers.get('content-type') ?? '').toLowerCase();
  if (type.includes('json')) {
    let parsed: unknown;
    try {
      parsed = body === '' ? {} : JSON.parse(body);
    } catch {
      throw new MalformedAnswer(`JSON body does not parse: ${body.slice(0, 80)}`);
    }
    if (!parsed || typeof parsed !== 'object' || Array.isArray(parsed)) throw new MalformedAnswer('JSON body is not an object');
    const record = parsed as Record<string, unknown>;
    if (status >= 300) {
      if (typeof record.__type !== 'string' || record.__type === '') throw new MalformedAnswer('JSON error without __type');
      if (typeof (record.message ?? record.Message) !== 'string') throw new MalformedAnswer('JSON error without message');
      if (headers.get('x-amzn-errortype') !== null && headers.get('x-amzn-errortype') !== record.__type) throw new MalformedAnswer('x-amzn-ErrorType disagrees with __type');
      return { protocol: 'json', code: record.__type, status, requestId };
    }
    return { protocol: 'json', code: undefined, status, requestId };
  }
  if (type.includes('xml') || (type === '' && body.startsWith('<'))) {
    if (body === '' && status < 300) return { protocol: 'xml', code: undefined, status, requestId };
    const root = checkXml(body);
    if (root === 'ErrorResponse') {
      const code = element(body, 'Code');
      if (!code || element(body, 'Type') === undefined || element(body, 'Message') === undefined || !element(body, 'RequestId')) {
        throw new MalformedAnswer('awsQuery error without Type, Code, Message and RequestId');
      }
      if (status < 400) throw new MalformedAnswer(`awsQuery error with status ${status}`);
      return { protocol: 'query', code, status, requestId };
    }
    if (root === 'Response') {
      const code = element(body, 'Code');
      if (!code || element(body, 'Message') === undefined || !element(body, 'RequestID')) throw new MalformedAnswer('ec2Query error without Code, Message and RequestID');
      if (status < 400) throw new MalformedAnswer(`ec2Query error with status ${status}`);
      return { protocol: 'ec2', code, status, requestId };
    }
    if (root === 'Error') {
      const code = element(body, 'Code');
      if (!code) throw new MalformedAnswer('restXml error without Code');
      return { protocol: 'xml', code, status, requestId };
    }
    if (status >= 300) throw new MalformedAnswer(`XML answer <${root}> with status ${status}`);
    if (root.endsWith('Response')) {
      const ec2 = body.includes('xmlns="http://ec2.amazonaws.com/');
      if (ec2 ? !element(body, 'requestId') : !/<RequestId>[^<]+<\/RequestId>/.test(body)) throw new MalformedAnswer(`<${root}> without a request id`);
      return { protocol: ec2 ? 'ec2' : 'query', code: undefined, status, requestId };
    }
    return { protocol: 'xml', code: undefined, status, requestId };
  }
  if (status < 300 && body === '') return { protocol: 'xml', code: undefined, status, requestId };
  throw new MalformedAnswer(`unexpected content type "${type}" (status ${status}): ${body.slice(0, 80)}`);
}
