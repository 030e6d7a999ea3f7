// The setup step run with an administrative connection: the database, one role and one schema per service.
// Each role owns its schema and has no rights anywhere else (PUBLIC loses CREATE on the database's public schema).
import { Client } from 'pg';
import { roleOf, schemaOf, SERVICE_NAMES, ServiceName } from './services';

export interface DatabaseSetupOptions {
  /** A superuser (or CREATEROLE + CREATEDB) connection, any database on the server. */
  adminUrl: string;
  database: string;
  services?: ServiceName[];
  /** Role passwords by service; absent means no password (trust or peer auth, as on a developer machine). */
  passwords?: Partial<Record<ServiceName, string>>;
}

const ident = (s: string) => {
  if (!/^[a-z_][a-z0-9_]*$/.test(s)) throw new Error(`"${s}" is not a plain SQL identifier`);
  return `"${s}"`;
};

export async function setUpDatabase(opts: DatabaseSetupOptions): Promise<void> {
  const admin = new Client({ connectionString: opts.adminUrl });
  await admin.connect();
  try {
    const exists = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [opts.database]);
    if (exists.rowCount === 0) await admin.query(`CREATE DATABASE ${ident(opts.database)}`);
    for (const service of opts.services ?? SERVICE_NAMES) {
      const role = roleOf(service);
      const found = await admin.query('SELECT 1 FROM pg_roles WHERE rolname = $1', [role]);
      if (found.rowCount === 0) await admin.query(`CREATE ROLE ${ident(role)} LOGIN`);
      const password = opts.passwords?.[service];
      if (password) await admin.query(`ALTER ROLE ${ident(role)} PASSWORD ${literal(password)}`);
    }
  } finally {
    await admin.end();
  }

  const url = new URL(opts.adminUrl);
  url.pathname = `/${opts.database}`;
  const db = new Client({ connectionString: url.toString() });
  await db.connect();
  try {
    await db.query(`REVOKE ALL ON DATABASE ${ident(opts.database)} FROM PUBLIC`);
    await db.query('REVOKE CREATE ON SCHEMA public FROM PUBLIC');
    for (const service of opts.services ?? SERVICE_NAMES) {
      const role = roleOf(service);
      const schema = schemaOf(service);
      await db.query(`GRANT CONNECT ON DATABASE ${ident(opts.database)} TO ${ident(role)}`);
      await db.query(`CREATE SCHEMA IF NOT EXISTS ${ident(schema)} AUTHORIZATION ${ident(role)}`);
      await db.query(`ALTER SCHEMA ${ident(schema)} OWNER TO ${ident(role)}`);
      await db.query(`REVOKE ALL ON SCHEMA ${ident(schema)} FROM PUBLIC`);
    }
  } finally {
    await db.end();
  }
}

/** The URL a service connects with: the admin URL's host, its own role, the programme database. */
export function serviceDatabaseUrl(adminUrl: string, database: string, service: ServiceName, password?: string): string {
  const url = new URL(adminUrl);
  url.username = roleOf(service);
  url.password = password ?? '';
  url.pathname = `/${database}`;
  return url.toString();
}

function literal(s: string): string {
  return `'${s.replace(/'/g, "''")}'`;
}
