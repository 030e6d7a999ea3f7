// Which events a subscription wants: exact types, or prefixes ending in `*` that match any remainder.
import { EVENT_CATALOGUE, FieldProblem, InputInvalidError } from '@vantage/contracts';

const SHAPE = /^[a-z0-9][a-z0-9.-]*\*?$|^\*$/;

/** Refuses, naming `types[i]`, a pattern of the wrong shape or one that no event type Vantage defines can match. */
export function assertTypePatterns(types: string[]): void {
  const problems: FieldProblem[] = [];
  const known = EVENT_CATALOGUE.map((d) => d.type);
  types.forEach((pattern, i) => {
    const field = `types[${i}]`;
    if (pattern.length > 200 || !SHAPE.test(pattern)) {
      problems.push({ field, message: 'must be an event type, or a prefix ending in * (e.g. gov.vantage.window.*)' });
    } else if (!known.some((type) => typeMatches(pattern, type))) {
      problems.push({ field, message: `matches no event type (e.g. ${known[0]})` });
    }
  });
  if (problems.length) throw new InputInvalidError(`types: ${problems.map((p) => `${p.field} ${p.message}`).join('; ')}`, problems);
}

export function typeMatches(pattern: string, type: string): boolean {
  return pattern.endsWith('*') ? type.startsWith(pattern.slice(0, -1)) : pattern === type;
}

export function matchesAny(patterns: string[], type: string): boolean {
  return patterns.some((p) => typeMatches(p, type));
}
