/** Backoff delays and which errors may pass on a new attempt (see retry.ts for the rule). */
import * as assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationError, HelloError, RPCError, SessionCloseError, SSHError, SSHUnknownHostError, TimeoutExpiredError, TransportError } from '../../src/index.js';
import { backoffDelay, FleetAbortedError, FleetTimeoutError, isTransient, sessionLost } from '../../src/fleet/index.js';

describe('retry', () => {
  it('backs off exponentially, capped, with jitter', () => {
    const mid = (): number => 0.5; // no jitter
    assert.equal(backoffDelay(1, {}, mid), 0.5);
    assert.equal(backoffDelay(2, {}, mid), 1);
    assert.equal(backoffDelay(3, {}, mid), 2);
    assert.equal(backoffDelay(20, {}, mid), 30);
    assert.equal(backoffDelay(2, { initial: 1, factor: 3, max: 5 }, mid), 3);
    assert.equal(backoffDelay(1, { jitter: 0.2 }, () => 0), 0.4);
    assert.equal(backoffDelay(1, { jitter: 0.2 }, () => 1), 0.6);
  });

  it('retries what can pass, not what would fail again', () => {
    assert.equal(isTransient(new TransportError('connect ECONNREFUSED')), true);
    assert.equal(isTransient(new SSHError('Timed out')), true);
    assert.equal(isTransient(new SessionCloseError('closed')), true);
    assert.equal(isTransient(new TimeoutExpiredError('no reply')), true);
    assert.equal(isTransient(new FleetTimeoutError(5)), true);
    assert.equal(isTransient(new AuthenticationError('denied')), false);
    assert.equal(isTransient(new SSHUnknownHostError('unknown', { host: 'h', reason: 'unknown' } as never)), false);
    assert.equal(isTransient(new HelloError('bad hello')), false);
    assert.equal(isTransient(new FleetAbortedError()), false);
    assert.equal(isTransient(new TypeError('a bug in the task')), false);
  });

  it('a change is unknown only when the session died, not when the device answered', () => {
    assert.equal(sessionLost(new SessionCloseError('closed')), true);
    assert.equal(sessionLost(new TimeoutExpiredError('no reply')), true);
    assert.equal(sessionLost(new FleetAbortedError()), true);
    assert.equal(sessionLost(Object.create(RPCError.prototype) as Error), false);
    assert.equal(sessionLost(new TypeError('x')), false);
  });
});
