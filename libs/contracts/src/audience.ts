// Who may see an event. The producing service stamps it; fan-out channels only read it, never widen it.
// Encoded as a CloudEvents extension string (extension values must be scalars): space-separated tokens
//   org:<orgId>          that organisation
//   role:<kind>          every organisation of that kind (operator, clearinghouse, lab, agency)
//   clearance:<level>    every agency cleared at that level or above
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

export class Audience {
  private constructor(
    readonly orgs: ReadonlySet<string>,
    readonly roles: ReadonlySet<OrgKind>,
    readonly minClearance?: Clearance,
  ) {}

  static of(spec: { orgs?: Iterable<string>; roles?: Iterable<OrgKind>; minClearance?: Clearance }): Audience {
    const orgs = new Set(spec.orgs ?? []);
    for (const id of orgs) if (!/^[A-Za-z0-9_-]+$/.test(id)) throw new Error(`audience org id "${id}" is not a plain id`);
    return new Audience(orgs, new Set(spec.roles ?? []), spec.minClearance);
  }

  static parse(encoded: string): Audience {
    const orgs: string[] = [];
    const roles: OrgKind[] = [];
    let minClearance: Clearance | undefined;
    for (const token of encoded.split(' ').filter(Boolean)) {
      const [kind, value] = [token.slice(0, token.indexOf(':')), token.slice(token.indexOf(':') + 1)];
      if (kind === 'org' && value) orgs.push(value);
      else if (kind === 'role' && (ORG_KINDS as readonly string[]).includes(value)) roles.push(value as OrgKind);
      else if (kind === 'clearance' && (CLEARANCES as readonly string[]).includes(value)) minClearance = value as Clearance;
      else throw new Error(`audience token "${token}" is not understood`);
    }
    return Audience.of({ orgs, roles, minClearance });
  }

  /** Operators see everything in the programme; the owner decides who else does. */
  static operatorsAnd(orgIds: Iterable<string>): Audience {
    return Audience.of({ orgs: orgIds, roles: ['operator'] });
  }

  includes(member: AudienceMember): boolean {
    if (this.orgs.has(member.id) || this.roles.has(member.kind)) return true;
    return this.minClearance !== undefined && member.kind === 'agency' && clearanceCovers(member.clearance, this.minClearance);
  }

  withOrgs(orgIds: Iterable<string>): Audience {
    return Audience.of({ orgs: [...this.orgs, ...orgIds], roles: this.roles, minClearance: this.minClearance });
  }

  encode(): string {
    return [
      ...[...this.orgs].sort().map((o) => `org:${o}`),
      ...[...this.roles].sort().map((r) => `role:${r}`),
      ...(this.minClearance ? [`clearance:${this.minClearance}`] : []),
    ].join(' ');
  }

  toString(): string {
    return this.encode();
  }
}
