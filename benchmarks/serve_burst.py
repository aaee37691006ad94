#!/usr/bin/env python3
"""Burst and slow-client test of `yike serve` on loopback, bounded in time (issue 18).

    serve_burst.py URL [--clients 200] [--slow 10] [--timeout 40]

Opens --slow connections that send a request one byte per second (slow clients holding
workers), then --clients concurrent `GET /api/info`, each on its own connection, all at once;
prints the latency of the normal requests (median, 95th percentile, max) and how many failed or
timed out. Exit 1 when any normal request failed. Standard library only.
"""
import argparse
import socket
import statistics
import threading
import time
import urllib.parse


def get_info(host, port, timeout, out):
    start = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout) as s:
            s.settimeout(timeout)
            s.sendall(b"GET /api/info HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            data = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                data += chunk
        ok = data.startswith(b"HTTP/1.1 200")
        out.append((ok, time.monotonic() - start, data[:12].decode(errors="replace") if not ok else ""))
    except OSError as e:
        out.append((False, time.monotonic() - start, type(e).__name__))


def slow_client(host, port, stop):
    request = b"POST /api/isochrone HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"x" * 100
    try:
        with socket.create_connection((host, port), timeout=5) as s:
            for b in request:
                if stop.is_set():
                    return
                s.sendall(bytes([b]))
                time.sleep(1.0)
    except OSError:
        pass


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--slow", type=int, default=10)
    ap.add_argument("--timeout", type=float, default=40.0)
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.url)
    stop = threading.Event()
    slow = [threading.Thread(target=slow_client, args=(u.hostname, u.port, stop), daemon=True) for _ in range(a.slow)]
    for t in slow:
        t.start()
    time.sleep(2.0)  # the slow clients hold their workers by now
    results = []
    threads = [threading.Thread(target=get_info, args=(u.hostname, u.port, a.timeout, results)) for _ in range(a.clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(a.timeout + 5)
    wall = time.monotonic() - start
    stop.set()
    ok = sorted(d for good, d, _ in results if good)
    failed = [(d, why) for good, d, why in results if not good]
    print(f"{a.clients} concurrent GET /api/info with {a.slow} slow clients: {len(ok)} answered, "
          f"{len(failed)} failed, {a.clients - len(results)} unfinished; wall {wall:.2f} s")
    if ok:
        p95 = ok[min(len(ok) - 1, int(0.95 * len(ok)))]
        print(f"latency: median {statistics.median(ok) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {ok[-1] * 1000:.0f} ms")
    if failed:
        kinds = {}
        for _, why in failed:
            kinds[why] = kinds.get(why, 0) + 1
        print("failures:", ", ".join(f"{k} x{v}" for k, v in sorted(kinds.items())))
    return 1 if failed or len(results) < a.clients else 0


if __name__ == "__main__":
    raise SystemExit(main())
