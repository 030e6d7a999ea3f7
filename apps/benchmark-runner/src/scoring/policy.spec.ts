import { decideFrontier, POLICY_VERSION } from './policy';
import { wilson } from './statistics';

describe('Wilson interval', () => {
  it('matches the textbook values and stays within 0..1', () => {
    const i = wilson(81, 100)!;
    expect(i.accuracy).toBeCloseTo(0.81, 10);
    expect(i.lower).toBeCloseTo(0.7226, 3);
    expect(i.upper).toBeCloseTo(0.8752, 3);
    expect(wilson(0, 10)!.lower).toBeCloseTo(0, 12);
    expect(wilson(10, 10)!.upper).toBeCloseTo(1, 12);
    expect(wilson(0, 0)).toBeUndefined();
  });
});

describe('frontier policy', () => {
  const threshold = 1e26;
  it('is frontier on declared compute alone', () => {
    const d = decideFrontier({ declaredTrainingFlop: 3.1e26, computeThresholdFlop: threshold, suites: [] });
    expect(d).toMatchObject({ frontier: true, policyVersion: POLICY_VERSION });
    expect(d.basis[0]).toMatch(/^compute/);
  });

  it('is frontier when a thresholded suite’s lower bound reaches the threshold, not on accuracy alone', () => {
    const strong = decideFrontier({ computeThresholdFlop: threshold, suites: [{ name: 's', version: '1', threshold: 0.7, interval: wilson(180, 200) }] });
    expect(strong.frontier).toBe(true);
    // 75% on 20 items: the accuracy passes 0.7, the lower bound does not.
    const thin = decideFrontier({ computeThresholdFlop: threshold, suites: [{ name: 's', version: '1', threshold: 0.7, interval: wilson(15, 20) }] });
    expect(thin).toEqual({ frontier: false, basis: [], policyVersion: POLICY_VERSION });
    const unthresholded = decideFrontier({ declaredTrainingFlop: 1e25, computeThresholdFlop: threshold, suites: [{ name: 's', version: '1', interval: wilson(200, 200) }] });
    expect(unthresholded.frontier).toBe(false);
  });
});
