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
    const strong = decideFrontier({ computeThresholdFlop: threshold, suites: [{ suiteId: 'u1', name: 's', version: '1', threshold: 0.7, interval: wilson(180, 200) }] });
    expect(strong.frontier).toBe(true);
    // 75% on 20 items: the accuracy passes 0.7, the lower bound does not.
    const thin = decideFrontier({ computeThresholdFlop: threshold, suites: [{ suiteId: 'u1', name: 's', version: '1', threshold: 0.7, interval: wilson(15, 20) }] });
    expect(thin).toMatchObject({ frontier: false, basis: [], computeBasis: [], suiteBasis: {}, policyVersion: POLICY_VERSION });
    const unthresholded = decideFrontier({ declaredTrainingFlop: 1e25, computeThresholdFlop: threshold, suites: [{ suiteId: 'u1', name: 's', version: '1', interval: wilson(200, 200) }] });
    expect(unthresholded.frontier).toBe(false);
  });

  it('keeps each suite’s line apart from the compute line, so that it can be shown only to those cleared for the suite', () => {
    const d = decideFrontier({
      declaredTrainingFlop: 3.1e26, computeThresholdFlop: threshold,
      suites: [
        { suiteId: 'u1', name: 'open', version: '1', threshold: 0.5, interval: wilson(180, 200), method: 'wilson' },
        { suiteId: 'u2', name: 'hidden', version: '2', threshold: 0.9, interval: wilson(50, 200) },
        { suiteId: 'u3', name: 'secret', version: '3', threshold: 0.7, interval: wilson(190, 200) },
      ],
    });
    expect(d.computeBasis).toEqual(['compute: declared 3.10e+26 FLOP >= 1.00e+26']);
    expect(Object.keys(d.suiteBasis)).toEqual(['u1', 'u3']);
    expect(d.suiteBasis.u1).toMatch(/^suite open@1: 95% lower bound \(wilson\) 0\.8\d+ >= threshold 0\.5$/);
    expect(d.basis).toEqual([...d.computeBasis, d.suiteBasis.u1, d.suiteBasis.u3]);
    expect(d.compute).toEqual({ declaredTrainingFlop: 3.1e26, frontierAtFlop: 1e26 });
    expect(decideFrontier({ computeThresholdFlop: threshold, suites: [] }).compute).toEqual({ frontierAtFlop: 1e26 });
  });
});
