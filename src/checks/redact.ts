/**
 * Redaction: every message a check produces passes through here before anyone sees it. Values are
 * registered as they are read (environment variables, log options, secrets), and a few
 * credential shapes are caught by pattern as a second line of defence.
 */

/** Environment variable or option names that mean "this holds a credential". */
export const CREDENTIAL_NAME = /(PASSWORD|PASSWD|SECRET|TOKEN|API_?KEY|PRIVATE_?KEY|ACCESS_?KEY|CREDENTIAL|AUTH_DATA)/i;

const PATTERNS: RegExp[] = [
  // AWS access key ids
  /\b(?:AKIA|ASIA)[A-Z0-9]{16}\b/g,
  // name=value / name: value pairs whose name says credential - but not IAM actions and ARNs
  // (secretsmanager:GetSecretValue, ...:secret:lab/db-password, sts:GetSessionToken), which name
  // what a check is about and hold no value
  /(?<![:\w-])(?!secretsmanager:)([A-Za-z_-]*(?:password|passwd|secret|token|api[_-]?key|private[_-]?key)[A-Za-z_-]*)(\s*[=:]\s*)(?!\(redacted\))("[^"]*"|'[^']*'|[^\s,;)]+)/gi,
];

export const REDACTED = '(redacted)';

export class Redactor {
  private values: string[] = [];

  /** Registers a value; short values (under 4 characters) would redact ordinary words, so they are ignored. */
  add(value: string | undefined | null): void {
    if (typeof value !== 'string' || value.length < 4 || this.values.includes(value)) return;
    this.values.push(value);
    this.values.sort((a, b) => b.length - a.length);
  }

  /** Returns the text with every registered value and every credential-shaped token replaced. */
  redact(text: string): string {
    let out = text;
    for (const v of this.values) out = out.split(v).join(REDACTED);
    out = out.replace(PATTERNS[0]!, REDACTED);
    out = out.replace(PATTERNS[1]!, (_m, name: string, sep: string) => `${name}${sep}${REDACTED}`);
    return out;
  }
}
