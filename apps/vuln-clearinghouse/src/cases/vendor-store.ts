// The only place with the SQL of vendors (their part in a case is the case store's).
import { Injectable } from '@nestjs/common';
import { EntityManager } from 'typeorm';

export interface NewVendor {
  id: string;
  name: string;
  purlPrefixes: string[];
  contactUrl: string;
  orgId: string | null;
  createdAt: Date;
}

@Injectable()
export class VendorStore {
  async insert(tx: EntityManager, v: NewVendor): Promise<void> {
    await tx.query(
      'INSERT INTO vendors (id, name, purl_prefixes, contact_url, org_id, created_at) VALUES ($1, $2, $3::jsonb, $4, $5, $6)',
      [v.id, v.name, JSON.stringify(v.purlPrefixes), v.contactUrl, v.orgId, v.createdAt],
    );
  }

  /** Vendors whose purl prefixes cover one of `purls`. */
  async covering(tx: EntityManager, purls: string[]): Promise<{ id: string; orgId: string | null }[]> {
    if (!purls.length) return [];
    const rows: { id: string; org_id: string | null }[] = await tx.query(
      `SELECT DISTINCT v.id, v.org_id FROM vendors v, jsonb_array_elements_text(v.purl_prefixes) AS prefix, unnest($1::text[]) AS purl
       WHERE purl = prefix OR purl LIKE prefix || '%'`,
      [purls],
    );
    return rows.map((v) => ({ id: v.id, orgId: v.org_id }));
  }
}
