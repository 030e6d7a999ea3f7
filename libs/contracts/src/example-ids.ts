// The ids and times of the one story every documentation example tells (the AsyncAPI document's messages, the
// gateway's OpenAPI examples): Acme AI submits acme-frontier 2026-12, Agency A is granted access, a suite runs, a
// finding opens a case. Examples that share these read as one system, not as unrelated fragments.
export const EXAMPLE_IDS = {
  lab: '0193a1f0-8c2e-7b4a-9d1e-5f6a7b8c9d01',
  agency: '0193a1f0-8c2e-7b4a-9d1e-5f6a7b8c9d02',
  clearinghouse: '0193a1f0-8c2e-7b4a-9d1e-5f6a7b8c9d03',
  operator: '0193a1f0-8c2e-7b4a-9d1e-5f6a7b8c9d04',
  vendorOrg: '0193a1f0-8c2e-7b4a-9d1e-5f6a7b8c9d05',
  apiKey: '7c3e9a1f5b2d4086',
  submission: '0193a1f2-1d4b-7e6f-8a9b-0c1d2e3f4a51',
  grant: '0193a1f2-1d4b-7e6f-8a9b-0c1d2e3f4a52',
  suite: '0193a1f2-1d4b-7e6f-8a9b-0c1d2e3f4a53',
  run: '0193a1f2-1d4b-7e6f-8a9b-0c1d2e3f4a54',
  upload: '0193a1f2-1d4b-7e6f-8a9b-0c1d2e3f4a55',
  finding: '0193a1f3-5e6f-7a8b-9c0d-1e2f3a4b5c61',
  duplicateFinding: '0193a1f3-5e6f-7a8b-9c0d-1e2f3a4b5c62',
  case: '0193a1f3-5e6f-7a8b-9c0d-1e2f3a4b5c63',
  relatedCase: '0193a1f3-5e6f-7a8b-9c0d-1e2f3a4b5c64',
  vendor: '0193a1f3-5e6f-7a8b-9c0d-1e2f3a4b5c65',
  subscription: '0193a1f4-7a8b-7c9d-8e0f-1a2b3c4d5e71',
  delivery: '0193a1f4-7a8b-7c9d-8e0f-1a2b3c4d5e72',
  event: '0193a1f4-7a8b-7c9d-8e0f-1a2b3c4d5e73',
} as const;

/** SHA-256 of the example suite's items (its `contentHash`). */
export const EXAMPLE_CONTENT_HASH = '9f2c4e7a1b3d5f6081a2b3c4d5e6f708192a3b4c5d6e7f8091a2b3c4d5e6f7a8';
