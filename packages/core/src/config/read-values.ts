import type { ConfigIssue } from '../errors/errors.js';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function rejectUnknownKeys(record: Record<string, unknown>, known: readonly string[], path: string, issues: ConfigIssue[]): void {
  for (const key of Object.keys(record)) {
    if (!known.includes(key)) issues.push({ path: `${path}.${key}`, message: `is not a known option (known: ${known.join(', ')})` });
  }
}

/** Reads an optional number field, checking its range; an out-of-range value is an issue. */
export function readNumber(
  record: Record<string, unknown>,
  key: string,
  path: string,
  issues: ConfigIssue[],
  rules: { integer?: boolean; min?: number; max?: number; required?: boolean; exclusiveMin?: boolean } = {},
): number | undefined {
  const value = record[key];
  const where = `${path}.${key}`;
  if (value === undefined || value === null) {
    if (rules.required) issues.push({ path: where, message: 'is required' });
    return undefined;
  }
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    issues.push({ path: where, message: `must be a number, not ${JSON.stringify(value)}` });
    return undefined;
  }
  if (rules.integer && !Number.isInteger(value)) issues.push({ path: where, message: 'must be a whole number' });
  else if (rules.min !== undefined && (rules.exclusiveMin ? value <= rules.min : value < rules.min)) {
    issues.push({ path: where, message: `must be ${rules.exclusiveMin ? 'greater than' : 'at least'} ${rules.min}, not ${value}` });
  } else if (rules.max !== undefined && value > rules.max) {
    issues.push({ path: where, message: `must be at most ${rules.max}, not ${value}` });
  } else {
    return value;
  }
  return undefined;
}
