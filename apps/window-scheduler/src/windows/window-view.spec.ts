import { grantRow, LAB_ID, windowRow } from './fakes.testing';
import { listScope, mayRead, visibleGrants, windowView } from './window-view';

describe('window visibility', () => {
  const row = windowRow({ state: 'closed', closedReason: 'released', closedAt: new Date('2026-12-12T00:00:00Z') });
  const grants = [grantRow('ag-1'), grantRow('ag-2', 'revoked')];

  it('lets the operator, the owning lab and a granted agency (even revoked) read a window, and no one else', () => {
    expect(mayRead({ orgId: 'op', kind: 'operator' }, row, [])).toBe(true);
    expect(mayRead({ orgId: LAB_ID, kind: 'lab' }, row, [])).toBe(true);
    expect(mayRead({ orgId: 'lab-2', kind: 'lab' }, row, grants)).toBe(false);
    expect(mayRead({ orgId: 'ag-2', kind: 'agency' }, row, grants)).toBe(true);
    expect(mayRead({ orgId: 'ag-3', kind: 'agency' }, row, grants)).toBe(false);
    expect(mayRead({ orgId: 'ch', kind: 'clearinghouse' }, row, grants)).toBe(false);
  });

  it('scopes lists and grants by who asks, and says how a window ended', () => {
    expect([listScope({ orgId: 'op', kind: 'operator' }), listScope({ orgId: 'l', kind: 'lab' }), listScope({ orgId: 'a', kind: 'agency' }), listScope({ orgId: 'c', kind: 'clearinghouse' })])
      .toEqual([{}, { labId: 'l' }, { agencyId: 'a' }, undefined]);
    expect(visibleGrants({ orgId: 'ag-1', kind: 'agency' }, grants)).toEqual([grants[0]]);
    expect(windowView(row, grants)).toMatchObject({ state: 'closed', closedReason: 'released', closedAt: '2026-12-12T00:00:00.000Z', grants: [{ agencyId: 'ag-1', state: 'active' }, { agencyId: 'ag-2', state: 'revoked' }] });
  });
});
