#!/usr/bin/python3
"""The reference client, Python's ncclient, against the benchmark peer: the same workloads as
client-node.mjs, with the same options, and one `RESULT {json}` line on stdout.

Run with Debian's /usr/bin/python3 and python3-ncclient (bench/run.mjs installs it when missing).

  /usr/bin/python3 bench/client-ncclient.py --workload large [--calls 4] [--expect-bytes N]
      get_config('running'), the raw reply is reply.xml; first call COLD, later ones WARM.
  /usr/bin/python3 bench/client-ncclient.py --workload small [--sequential 2000]
      sequential <get> round trips (ncclient's manager API has no pipelining).
  /usr/bin/python3 bench/client-ncclient.py --workload many [--sessions 1000]
      N concurrent sessions (one thread each, as ncclient sessions are blocking), one
      get_config each, then close; fds and threads before and after.
      [--connect-concurrency K] connects at most K at once.
  /usr/bin/python3 bench/client-ncclient.py --workload info
"""
import argparse
import gc
import json
import os
import sys
import threading
import time
import traceback
from concurrent.futures import ThreadPoolExecutor

from ncclient import manager

from ncclient.transport.session import NetconfBase
import ncclient
import paramiko

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lib'))
from proc_self import fd_count, proc_status_bytes  # noqa: E402


def stats(xs):
    v = sorted(xs)
    if not v:
        return None
    return {'median': v[(len(v) - 1) // 2], 'min': v[0], 'max': v[-1], 'n': len(v)}


def percentile(xs, p):
    v = sorted(xs)
    return v[min(len(v) - 1, int(p / 100 * len(v)))]


def emit(result):
    sys.stdout.write('RESULT ' + json.dumps(result) + '\n')
    sys.stdout.flush()


def connect(peer):
    return manager.connect(
        host=peer['host'], port=peer['port'], username=peer['username'],
        key_filename=peer['keyFile'], allow_agent=False, look_for_keys=False,
        hostkey_verify=False, timeout=300, manager_params={'timeout': 600})


def large(peer, args):
    m = connect(peer)
    rss_connected = proc_status_bytes('VmRSS')
    seconds = []
    peak_cold = None
    nbytes = 0
    for i in range(args.calls):
        t0 = time.perf_counter()
        reply = m.get_config(source='running')
        xml = reply.xml  # the raw reply (ncclient has parsed it with lxml on the way)
        seconds.append(time.perf_counter() - t0)
        if not (xml.startswith('<rpc-reply') and xml.rstrip().endswith('</rpc-reply>')):
            raise RuntimeError('reply is not a whole rpc-reply')
        nbytes = len(xml)
        if args.expect_bytes is not None and nbytes != args.expect_bytes:
            raise RuntimeError(f'reply has {nbytes} bytes, expected {args.expect_bytes}')
        del reply, xml
        if i == 0:
            peak_cold = proc_status_bytes('VmHWM')
    peak = proc_status_bytes('VmHWM')
    m.close_session()
    return {'bytes': nbytes, 'coldSeconds': seconds[0], 'warmSeconds': seconds[1:], 'rssConnected': rss_connected,
            'peakRssCold': peak_cold, 'peakRss': peak}


def small(peer, args):
    m = connect(peer)
    for _ in range(min(200, -(-args.sequential // 10))):  # warm-up
        m.get()
    latencies = []
    for _ in range(args.sequential):
        t0 = time.perf_counter()
        m.get()
        latencies.append((time.perf_counter() - t0) * 1000)
    m.close_session()
    return {'sequential': args.sequential, 'latencyMs': stats(latencies), 'p99LatencyMs': percentile(latencies, 99),
            'sequentialRpcPerSecond': args.sequential / (sum(latencies) / 1000), 'pipelined': None,
            'peakRss': proc_status_bytes('VmHWM')}


def many(peer, args):
    n = args.sessions
    # One session first, so that what is created once per process is in the baseline.
    first = connect(peer)
    first.get_config(source='running')
    first.close_session()
    time.sleep(0.2)
    gc.collect()
    fds_before, threads_before, rss_before = fd_count(), threading.active_count(), proc_status_bytes('VmRSS')

    errors = []

    def guarded(fn):
        def run(x):
            try:
                return fn(x)
            except Exception as e:  # noqa: BLE001 - reported, not raised
                errors.append(repr(e))
                return None
        return run

    with ThreadPoolExecutor(max_workers=n) as pool:
        t0 = time.perf_counter()
        # At most --connect-concurrency handshakes at once (sshd's listen backlog is 128).
        with ThreadPoolExecutor(max_workers=min(n, args.connect_concurrency or n)) as connecting:
            managers = [m for m in connecting.map(guarded(lambda _: connect(peer)), range(n)) if m is not None]
        connect_seconds = time.perf_counter() - t0
        n_connected = len(managers)
        t1 = time.perf_counter()
        replies = [r for r in pool.map(guarded(lambda m: m.get_config(source='running')), managers) if r is not None]
        rpc_seconds = time.perf_counter() - t1
        n_replies = len(replies)
        rss_open, fds_open = proc_status_bytes('VmRSS'), fd_count()
        del replies
        t2 = time.perf_counter()
        list(pool.map(guarded(lambda m: m.close_session()), managers))
        close_seconds = time.perf_counter() - t2
        wall_seconds = time.perf_counter() - t0
    del managers
    time.sleep(0.2)
    fds_after, threads_after = fd_count(), threading.active_count()
    # Each ncclient session thread's epoll selector outlives close_session() in a reference cycle
    # (through the exception that ends the thread): released by the cyclic GC, not before.
    gc.collect()
    fds_after_gc = fd_count()
    return {'sessions': n, 'connected': n_connected, 'replies': n_replies, 'errors': sorted(set(errors))[:5],
            'connectSeconds': connect_seconds, 'rpcSeconds': rpc_seconds, 'closeSeconds': close_seconds,
            'wallSeconds': wall_seconds, 'rssBefore': rss_before, 'rssOpen': rss_open,
            'rssPerSession': (rss_open - rss_before) / max(1, n_connected),
            'fdsBefore': fds_before, 'fdsOpen': fds_open, 'fdsAfter': fds_after, 'fdsAfterGc': fds_after_gc,
            'fdLeakBeforeGc': fds_after - fds_before, 'fdLeak': fds_after_gc - fds_before,
            'threadsBefore': threads_before, 'threadsAfter': threads_after, 'resourceLeak': threads_after - threads_before,
            'peakRss': proc_status_bytes('VmHWM')}


def info(peer, args):
    m = connect(peer)
    t = m._session._transport  # paramiko.Transport: what was negotiated
    result = {'ncclient': ncclient.__version__ if hasattr(ncclient, '__version__') else None,
              'paramiko': paramiko.__version__, 'python': sys.version.split()[0],
              'cipher': t.remote_cipher, 'mac': t.remote_mac,
              'framing': 'chunked' if m._session._base == NetconfBase.BASE_11 else 'eom'}
    m.close_session()
    return result


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument('--peer', default=os.path.join(os.path.dirname(os.path.abspath(__file__)), '.state', 'peer.json'))
    ap.add_argument('--workload', default='large', choices=['large', 'small', 'many', 'info'])
    ap.add_argument('--calls', type=int, default=4)
    ap.add_argument('--expect-bytes', type=int)
    ap.add_argument('--sequential', type=int, default=2000)
    ap.add_argument('--sessions', type=int, default=1000)
    ap.add_argument('--connect-concurrency', type=int, default=0, help='--workload many: handshakes at once (0: all)')
    args = ap.parse_args()
    with open(args.peer) as f:
        peer = json.load(f)
    try:
        result = {'large': large, 'small': small, 'many': many, 'info': info}[args.workload](peer, args)
    except Exception:  # noqa: BLE001
        emit({'client': 'ncclient', 'workload': args.workload, 'error': traceback.format_exc()})
        sys.exit(1)
    emit({'client': 'ncclient', 'workload': args.workload, **result})
    # Leftover session threads (a failed close) must not keep the process alive.
    os._exit(0)


if __name__ == '__main__':
    main()
