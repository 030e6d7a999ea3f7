// Who may see an event. The producing service stamps it; fan-out channels only read it, never widen it.
// Encoded as a CloudEvents extension string (extension values must be scalars): space-separated terms, and an
// organisation is in the audience when every condition of at least one term holds for it. A condition is
//   org:<orgId>          that organisation
//   role:<kind>          an organisation of that kind (operator, clearinghouse, lab, agency)
//   clearance:<level>    an agency cleared at that level or above
// and a term is one condition, or several joined by `+`: `org:<id>+clearance:secret` is that organisation, and
// only while it is an agency cleared for secret (a granted agency, for the runs of a secret suite). Encodings
// from before `+` (one condition per term) mean what they always meant, and are written the same way.
export const ORG_KINDS = ['lab', 'agency', 'clearinghouse', 'operator'] as const;
export type OrgKind = (typeof ORG_KINDS)[number];

export const CLEARANCES = ['unclassified', 'cui', 'secret', 'top-secret'] as const;
export type Clearance = (typeof CLEARANCES)[number];

export function clearanceCovers(held: Clearance | undefined, required: Clearance): boolean {
  return held !== undefined && CLEARANCES.indexOf(held) >= CLEARANCES.indexOf(required);
}

export interface AudienceMember {
  id: string;
  kind: OrgKind;
  clearance?: Clearance;
}

/** One way into an audience: a member must meet every condition given (at least one is). */
export interface AudienceTerm {
  readonly org?: string;
  readonly role?: OrgKind;
  readonly clearance?: Clearance;
}

const PLAIN_ID = /^[A-Za-z0-9_-]+$/;
/** The order conditions are written in, within a term and across terms (as before terms could have several). */
const CONDITION_ORDER = ['org', 'role', 'clearance'] as const;

export class Audience {
  private constructor(readonly terms: readonly AudienceTerm[]) {}

  /** A union: each listed organisation, each organisation of a listed role, and every agency cleared at `minClearance`. */
  static of(spec: { orgs?: Iterable<string>; roles?: Iterable<OrgKind>; minClearance?: Clearance }): Audience {
    return Audience.anyOf([
      ...[...(spec.orgs ?? [])].map((org) => ({ org })),
      ...[...(spec.roles ?? [])].map((role) => ({ role })),
      ...(spec.minClearance ? [{ clearance: spec.minClearance }] : []),
    ]);
  }

  /** Operators see everything in the programme; the owner decides who else does. */
  static operatorsAnd(orgIds: Iterable<string>): Audience {
    return Audience.of({ orgs: orgIds, roles: ['operator'] });
  }

  /**
   * Of these organisations, those that are agencies cleared at `level` or above: an intersection, where
   * `of({ orgs, minClearance })` would be a union (the listed organisations, and every cleared agency).
   */
  static clearedAmong(orgIds: Iterable<string>, level: Clearance): Audience {
    return Audience.anyOf([...orgIds].map((org) => ({ org, clearance: level })));
  }

  /** Anyone who meets every condition of at least one of the terms. */
  static anyOf(terms: Iterable<AudienceTerm>): Audience {
    const byKey = new Map<string, AudienceTerm>();
    for (const term of terms) {
      const checked = checkTerm(term);
      byKey.set(encodeTerm(checked), checked);
    }
    const sorted = [...byKey.entries()].sort(([a, ta], [b, tb]) => rank(ta) - rank(tb) || (a < b ? -1 : a > b ? 1 : 0));
    return new Audience(sorted.map(([, t]) => t));
  }

  static parse(encoded: string): Audience {
    const terms: AudienceTerm[] = [];
    for (const token of encoded.split(' ').filter(Boolean)) {
      const term: { org?: string; role?: OrgKind; clearance?: Clearance } = {};
      for (const condition of token.split('+')) {
        const colon = condition.indexOf(':');
        const [kind, value] = colon < 0 ? [condition, ''] : [condition.slice(0, colon), condition.slice(colon + 1)];
        const repeated = kind in term;
        if (kind === 'org' && value && !repeated) term.org = value;
        else if (kind === 'role' && (ORG_KINDS as readonly string[]).includes(value) && !repeated) term.role = value as OrgKind;
        else if (kind === 'clearance' && (CLEARANCES as readonly string[]).includes(value) && !repeated) term.clearance = value as Clearance;
        else throw new Error(`audience term "${token}" is not understood`);
      }
      terms.push(term);
    }
    return Audience.anyOf(terms);
  }

  includes(member: AudienceMember): boolean {
    return this.terms.some(
      (t) =>
        (t.org === undefined || t.org === member.id) &&
        (t.role === undefined || t.role === member.kind) &&
        (t.clearance === undefined || (member.kind === 'agency' && clearanceCovers(member.clearance, t.clearance))),
    );
  }

  /** Everyone in this audience or in the other. */
  or(other: Audience): Audience {
    return Audience.anyOf([...this.terms, ...other.terms]);
  }

  encode(): string {
    return this.terms.map(encodeTerm).join(' ');
  }

  toString(): string {
    return this.encode();
  }
}

function checkTerm(term: AudienceTerm): AudienceTerm {
  const { org, role, clearance } = term;
  if (org === undefined && role === undefined && clearance === undefined) throw new Error('an audience term needs a condition');
  if (org !== undefined && !PLAIN_ID.test(org)) throw new Error(`audience org id "${org}" is not a plain id`);
  if (role !== undefined && !(ORG_KINDS as readonly string[]).includes(role)) throw new Error(`audience role "${role}" is not a kind of organisation`);
  if (clearance !== undefined && !(CLEARANCES as readonly string[]).includes(clearance)) throw new Error(`audience clearance "${clearance}" is not a level`);
  return { ...(org !== undefined ? { org } : {}), ...(role !== undefined ? { role } : {}), ...(clearance !== undefined ? { clearance } : {}) };
}

function encodeTerm(term: AudienceTerm): string {
  return CONDITION_ORDER.filter((k) => term[k] !== undefined).map((k) => `${k}:${term[k]}`).join('+');
}

/** Terms led by an organisation first, then by a role, then by a clearance: the order of the old encoding. */
function rank(term: AudienceTerm): number {
  return CONDITION_ORDER.findIndex((k) => term[k] !== undefined);
}
