// The three advisory formats served at GET /v1/cases/{id}/advisory?format=osv|csaf|cve, from one plain input.
export { type AdvisoryCase, AdvisoryError, type AdvisoryProduct, type CreditType, type ReferenceType } from './advisory-case';
export { type OsvAffected, type OsvRecord, OSV_SCHEMA_VERSION, toOsv } from './osv';
export { type CsafPublisher, toCsaf } from './csaf';
export { type CveCna, toCveRecord } from './cve-record';
export { CWE_NAMES } from './cwe-names';
