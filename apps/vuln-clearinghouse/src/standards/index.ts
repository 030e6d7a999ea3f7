// Standards the clearinghouse speaks: CVSS scoring, product and weakness identifiers, advisory formats.
// Pure functions without I/O or framework, so the HTTP layer, the workers and the tests share them.
export { type CvssScore, type CvssSeverity, CvssVectorError, type CvssVersion, scoreCvss, severityOf } from './cvss';
export {
  checkCwe, checkVersionRange, type Cpe23, IdentifierError, normalisePurl, type NormalisedPurl, parseCpe23, type ProductRef, productKey,
  unescapeCpeValue, type VersionRange,
} from './identifiers';
export * from './advisories';
