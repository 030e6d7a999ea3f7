import { assertRoomForSubscription } from './subscription-limits';

describe('subscription limits', () => {
  it('lets an organisation below the limit add one, and refuses one at it, saying how to make room', () => {
    expect(() => assertRoomForSubscription(9, 10)).not.toThrow();
    expect(() => assertRoomForSubscription(10, 10)).toThrow(/holds 10 subscriptions.*MAX_SUBSCRIPTIONS_PER_ORG is 10.*delete one/);
  });
});
