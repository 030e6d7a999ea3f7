import { readFileSync } from 'node:fs';
import { referenceFile } from '@vantage/testing';
import { CvssVectorError, scoreCvss } from './cvss';

interface Reference {
  vector: string;
  score: number;
  severity: string;
}

// One Python dict literal a line, with single-quoted strings and plain numbers.
function readMacroScores(): Reference[] {
  return readFileSync(referenceFile('cvss', 'cvss4-macro-scores.txt'), 'utf8')
    .split('\n')
    .filter((line) => line.trim())
    .map((line) => {
      const m = /^\{'vector': '([^']+)', 'score': ([\d.]+), 'severity': '(\w+)'\}$/.exec(line.trim());
      if (!m) throw new Error(`unreadable reference line: ${line}`);
      return { vector: m[1], score: Number(m[2]), severity: m[3] };
    });
}

describe('scoreCvss, CVSS 4.0 against FIRST reference scores', () => {
  const references = readMacroScores();

  it('reads all 270 reference vectors', () => expect(references).toHaveLength(270));

  it('scores every reference vector as FIRST does (score and severity)', () => {
    const mismatches = references
      .map((r) => ({ r, got: scoreCvss(r.vector) }))
      .filter(({ r, got }) => got.baseScore !== r.score || got.baseSeverity !== r.severity.toUpperCase() || got.version !== '4.0')
      .map(({ r, got }) => `${r.vector}: expected ${r.score} ${r.severity}, got ${got.baseScore} ${got.baseSeverity}`);
    expect(mismatches).toEqual([]);
  });

  it('keeps canonical vectors as they are and names the nomenclature', () => {
    const v = 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N';
    expect(scoreCvss(v)).toEqual({ version: '4.0', vector: v, baseScore: 9.3, baseSeverity: 'CRITICAL', nomenclature: 'CVSS-B' });
    expect(scoreCvss(`${v}/E:U`).nomenclature).toBe('CVSS-BT');
    expect(scoreCvss(`${v}/E:U/CR:H`).nomenclature).toBe('CVSS-BTE');
  });

  it('reorders metrics canonically and drops explicit Not Defined values', () => {
    const got = scoreCvss('CVSS:4.0/VC:H/AV:N/AC:L/AT:N/PR:N/UI:N/VI:H/VA:H/SC:N/SI:N/SA:N/E:X');
    expect(got.vector).toBe('CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N');
    expect(got.baseScore).toBe(9.3);
  });
});

describe('scoreCvss, CVSS 3.1 worked examples from the FIRST v3.1 examples document', () => {
  // CVE, vector, base score, severity — all Base-only vectors from "CVSS v3.1: Examples".
  const examples: Array<[string, string, number, string]> = [
    ['CVE-2013-1937 phpMyAdmin reflected XSS', 'AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', 6.1, 'MEDIUM'],
    ['CVE-2013-0375 MySQL stored SQL injection', 'AV:N/AC:L/PR:L/UI:N/S:C/C:L/I:L/A:N', 6.4, 'MEDIUM'],
    ['CVE-2014-3566 SSLv3 POODLE', 'AV:N/AC:H/PR:N/UI:R/S:U/C:L/I:N/A:N', 3.1, 'LOW'],
    ['CVE-2012-1516 VMware guest to host escape', 'AV:N/AC:L/PR:L/UI:N/S:C/C:H/I:H/A:H', 9.9, 'CRITICAL'],
    ['CVE-2009-0783 Apache Tomcat XML parser', 'AV:L/AC:L/PR:H/UI:N/S:U/C:L/I:L/A:L', 4.2, 'MEDIUM'],
    ['CVE-2012-0384 Cisco IOS command injection', 'AV:N/AC:L/PR:L/UI:N/S:U/C:H/I:H/A:H', 8.8, 'HIGH'],
    ['CVE-2015-1098 Apple iWork denial of service', 'AV:L/AC:L/PR:N/UI:R/S:U/C:H/I:H/A:H', 7.8, 'HIGH'],
    ['CVE-2014-0160 OpenSSL Heartbleed', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N', 7.5, 'HIGH'],
    ['CVE-2014-6271 GNU Bash Shellshock', 'AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 9.8, 'CRITICAL'],
    ['CVE-2008-1447 DNS kaminsky bug', 'AV:N/AC:H/PR:N/UI:N/S:C/C:N/I:H/A:N', 6.8, 'MEDIUM'],
    ['CVE-2014-2005 Sophos login screen bypass', 'AV:P/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H', 6.8, 'MEDIUM'],
    ['CVE-2010-0467 Joomla directory traversal', 'AV:N/AC:L/PR:N/UI:N/S:C/C:L/I:N/A:N', 5.8, 'MEDIUM'],
  ];

  it.each(examples)('%s', (_name, metrics, score, severity) => {
    const v = `CVSS:3.1/${metrics}`;
    expect(scoreCvss(v)).toEqual({ version: '3.1', vector: v, baseScore: score, baseSeverity: severity });
  });

  it('scores the Base score only when temporal or environmental metrics are present', () => {
    const got = scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/E:U/RL:O/RC:C/MAV:L');
    expect(got.baseScore).toBe(7.5);
    expect(got.vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N/E:U/RL:O/RC:C/MAV:L');
  });

  it('accepts any metric order and writes it back canonically', () => {
    expect(scoreCvss('CVSS:3.1/A:N/I:N/C:H/S:U/UI:N/PR:N/AC:L/AV:N').vector).toBe('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N');
  });

  it('scores an all-None impact as 0.0 NONE', () => {
    expect(scoreCvss('CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N')).toMatchObject({ baseScore: 0, baseSeverity: 'NONE' });
  });
});

describe('scoreCvss refuses invalid vectors, naming the problem', () => {
  const refused: Array<[string, string, RegExp]> = [
    ['a missing 3.1 base metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L', /missing base metric\(s\) A/],
    ['a missing 4.0 base metric', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N', /missing base metric\(s\) SA/],
    ['a bad value', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:Q', /metric A has an invalid value "Q"/],
    ['Not Defined for a base metric', 'CVSS:3.1/AV:X/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', /metric AV has an invalid value "X"/],
    ['Safety in the 4.0 base group', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:S/SA:N', /metric SI has an invalid value "S"/],
    ['a lower-case value', 'CVSS:3.1/AV:n/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', /metric AV has an invalid value "n"/],
    ['a duplicate metric', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/A:H', /gives metric A more than once/],
    ['a 3.1 metric in a 4.0 vector', 'CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N/RL:O', /unknown metric "RL"/],
    ['a 3.0 prefix', 'CVSS:3.0/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', /version 3\.0 is not accepted/],
    ['a 2.0 vector', 'AV:N/AC:L/Au:N/C:P/I:P/A:P', /CVSS 2\.0, which is not accepted/],
    ['no prefix', 'AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N', /must start with "CVSS:3\.1\/" or "CVSS:4\.0\/"/],
    ['an unknown version', 'CVSS:5.0/AV:N', /unknown version "CVSS:5\.0"/],
    ['a trailing slash', 'CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N/', /malformed part ""/],
    ['garbage', 'not a vector at all', /must start with/],
    ['an empty string', '', /empty/],
  ];

  it.each(refused)('%s', (_name, vector, message) => {
    expect(() => scoreCvss(vector)).toThrow(CvssVectorError);
    expect(() => scoreCvss(vector)).toThrow(message);
  });
});
