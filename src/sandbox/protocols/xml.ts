/**
 * Shared XML writing for the query protocols (and S3): the SDK's XmlShapeSerializer walks the
 * output schema; envelopes are synthetic structure schemas from `schema.ts`.
 */
import { XmlShapeSerializer } from '@aws-sdk/core/protocols';
import type { NormalizedSchema } from '@smithy/core/schema';

const DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>\n';

/** Writes `value` as the XML document described by `schema` (its name is the root element). */
export function writeXml(schema: NormalizedSchema, value: unknown, xmlNamespace = ''): string {
  const serializer = new XmlShapeSerializer({
    timestampFormat: { useTrait: true, default: 5 },
    httpBindings: false,
    xmlNamespace,
    serviceNamespace: '',
  });
  serializer.write(schema, value);
  return DECLARATION + String(serializer.flush());
}

const ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' };

/** Escapes text for an XML element or attribute. */
export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}
