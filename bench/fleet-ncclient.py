#!/usr/bin/python3
"""Workload (i)'s reference: Python ncclient doing what bench/fleet.mjs does in one process: one
get_config('running') on each of N devices (simulator ports, round robin), through a
ThreadPoolExecutor of --threads (the usual way to run ncclient over a fleet). One `RESULT {json}`
line on stdout: wall seconds, devices/s, peak RSS, fds after.

  /usr/bin/python3 bench/fleet-ncclient.py --devices 1000 --ports 40001,40002 --threads 100 \\
      --username admin --password PW
"""
import argparse
import json
import os
import resource
import sys
import time
from concurrent.futures import ThreadPoolExecutor, as_completed

from ncclient import manager

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), 'lib'))
from proc_self import fd_count, proc_status_bytes  # noqa: E402


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--devices', type=int, required=True)
    p.add_argument('--ports', required=True)
    p.add_argument('--threads', type=int, default=100)
    p.add_argument('--username', required=True)
    p.add_argument('--password', required=True)
    a = p.parse_args()
    ports = [int(x) for x in a.ports.split(',')]
    rss_before = proc_status_bytes('VmRSS')

    def one(i):
        with manager.connect(host='127.0.0.1', port=ports[i % len(ports)], username=a.username, password=a.password,
                             hostkey_verify=False, look_for_keys=False, allow_agent=False, timeout=120,
                             manager_params={'timeout': 120}) as m:
            return len(m.get_config('running').xml)

    ok = 0
    errors = {}
    r0 = resource.getrusage(resource.RUSAGE_SELF)
    t0 = time.monotonic()
    with ThreadPoolExecutor(max_workers=a.threads) as pool:
        for f in as_completed([pool.submit(one, i) for i in range(a.devices)]):
            try:
                f.result()
                ok += 1
            except Exception as e:  # noqa: BLE001 - counted per type
                errors[type(e).__name__] = errors.get(type(e).__name__, 0) + 1
    seconds = time.monotonic() - t0
    r1 = resource.getrusage(resource.RUSAGE_SELF)
    cpu = (r1.ru_utime - r0.ru_utime) + (r1.ru_stime - r0.ru_stime)
    time.sleep(0.5)
    print('RESULT ' + json.dumps({'devices': a.devices, 'ok': ok, 'errors': errors, 'seconds': seconds, 'rate': a.devices / seconds, 'cpuSeconds': cpu,
                                  'peakRss': proc_status_bytes('VmHWM'), 'rssBefore': rss_before, 'fdsAfter': fd_count()}), flush=True)


if __name__ == '__main__':
    main()
