/**
 * `<commit>` of the candidate, with RFC 6241 §8.4 confirmed commits: `confirmed` /
 * `confirm-timeout` (rolled back when not confirmed in time, or when the issuing session ends),
 * follow-up confirmed commits that extend the timeout, the confirming commit, `persist` /
 * `persist-id` (`:confirmed-commit:1.1`, surviving the session), and `<cancel-commit>`.
 * @module
 */
import { cloneRoot } from './datastore.js';
import { rpcErrors } from './errors.js';
import type { ChangedBy } from './notifications.js';
import type { XmlElement } from '../index.js';

/** What the commit logic needs of the device. */
export interface CommitStore {
  readonly running: XmlElement;
  readonly candidate: XmlElement;
  /** Replace running; returns the thunk publishing the config-change notification. */
  setRunning(root: XmlElement, by: ChangedBy): () => void;
  /** Reset the candidate to running (not modified). */
  resetCandidate(): void;
}

/** Parameters of `<commit>`. */
export interface CommitParameters {
  confirmed: boolean;
  /** Confirm-timeout, seconds (default 600). */
  timeout: number;
  persist: string | undefined;
  persistId: string | undefined;
}

interface Pending {
  backup: XmlElement;
  sessionId: number;
  persist: string | undefined;
  timer: NodeJS.Timeout;
  deadline: number;
}

/** The state of confirmed commits. */
export class CommitManager {
  readonly #store: CommitStore;
  #pending: Pending | undefined;

  constructor(store: CommitStore) {
    this.#store = store;
  }

  /** The pending confirmed commit, if any: the session that issued it and its persist id. */
  get pending(): { sessionId: number; persist: string | undefined; deadline: Date } | undefined {
    const p = this.#pending;
    return p && { sessionId: p.sessionId, persist: p.persist, deadline: new Date(p.deadline) };
  }

  /**
   * Commit the candidate to running. Returns the thunk publishing the change.
   * @throws {@link NetconfServerError} when a pending confirmed commit belongs to someone else or
   *   the persist-id does not match
   */
  commit(sessionId: number, by: ChangedBy, params: CommitParameters): () => void {
    const pending = this.#pending;
    if (pending) {
      if (pending.persist !== undefined) {
        if (params.persistId === undefined) throw rpcErrors.invalidValue('a persistent confirmed commit is pending: give its persist-id', 'persist-id');
        if (params.persistId !== pending.persist) throw rpcErrors.invalidValue(`no pending confirmed commit has persist-id ${JSON.stringify(params.persistId)}`, 'persist-id');
      } else {
        if (params.persistId !== undefined) throw rpcErrors.invalidValue('the pending confirmed commit has no persist-id', 'persist-id');
        if (pending.sessionId !== sessionId) throw rpcErrors.inUse(`a confirmed commit of session ${pending.sessionId} is pending; only that session can confirm it`);
      }
    } else if (params.persistId !== undefined) {
      throw rpcErrors.invalidValue(`no pending confirmed commit has persist-id ${JSON.stringify(params.persistId)}`, 'persist-id');
    }
    const backup = pending?.backup ?? cloneRoot(this.#store.running);
    if (pending) clearTimeout(pending.timer);
    this.#pending = undefined;
    const publish = this.#store.setRunning(cloneRoot(this.#store.candidate), by);
    this.#store.resetCandidate();
    if (params.confirmed) {
      const timer = setTimeout(() => this.#rollback(), params.timeout * 1000);
      // A follow-up confirmed commit without <persist> keeps the persist-id it was given before.
      this.#pending = { backup, sessionId, persist: params.persist ?? pending?.persist, timer, deadline: Date.now() + params.timeout * 1000 };
    }
    return publish;
  }

  /**
   * `<cancel-commit>`: roll back the pending confirmed commit now.
   * @throws {@link NetconfServerError} when none is pending or it is not the caller's to cancel
   */
  cancel(sessionId: number, persistId: string | undefined): () => void {
    const pending = this.#pending;
    if (!pending) throw rpcErrors.operationFailed('no confirmed commit is pending');
    if (pending.persist !== undefined) {
      if (persistId !== pending.persist) throw rpcErrors.invalidValue(persistId === undefined ? 'a persistent confirmed commit is pending: give its persist-id' : `no pending confirmed commit has persist-id ${JSON.stringify(persistId)}`, 'persist-id');
    } else {
      if (persistId !== undefined) throw rpcErrors.invalidValue('the pending confirmed commit has no persist-id', 'persist-id');
      if (pending.sessionId !== sessionId) throw rpcErrors.inUse(`the pending confirmed commit belongs to session ${pending.sessionId}`);
    }
    return this.#rollback(false);
  }

  /** A session ended: its non-persistent confirmed commit is rolled back. */
  sessionEnded(sessionId: number): void {
    const p = this.#pending;
    if (p && p.persist === undefined && p.sessionId === sessionId) this.#rollback();
  }

  /** Clear the timer (the simulator is closing). */
  close(): void {
    if (this.#pending) clearTimeout(this.#pending.timer);
    this.#pending = undefined;
  }

  /** Restore running from before the confirmed commit, reset the candidate, publish (now or by thunk). */
  #rollback(publishNow = true): () => void {
    const p = this.#pending;
    if (!p) return () => undefined;
    clearTimeout(p.timer);
    this.#pending = undefined;
    this.#store.resetCandidate();
    const publish = this.#store.setRunning(p.backup, 'server');
    this.#store.resetCandidate();
    if (publishNow) {
      publish();
      return () => undefined;
    }
    return publish;
  }
}
