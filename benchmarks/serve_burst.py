#!/usr/bin/env python3
"""Burst and slow-client test of `yike serve` on loopback, bounded in time (issue 18).

    serve_burst.py URL [--clients 200] [--slow 10] [--flood 0] [--timeout 40]

Opens --slow connections that send a request one byte per second (slow clients trying to hold
workers), then --clients concurrent `GET /api/info`, each on its own connection, all at once;
prints the latency of the normal requests (median, 95th percentile, max), how many failed or
timed out, and what the slow clients got (the server's whole-request deadline answers 408).
--flood N also opens N idle connections from one address beside them (the per-address limit
answers 429 beyond it; those refusals are intended and counted apart).
Every client has its own loopback source address (127.0.1.x normal, 127.0.2.x slow, 127.0.3.1
flood), as separate machines would: the server limits connections per address.
Exit 1 when any normal request failed. Standard library only.
"""
import argparse
import socket
import statistics
import threading
import time
import urllib.parse


def source(prefix, k):
    return (f"{prefix}.{k % 250 + 1}", 0)


def get_info(host, port, timeout, out, k):
    start = time.monotonic()
    try:
        with socket.create_connection((host, port), timeout=timeout, source_address=source("127.0.1", k)) as s:
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


def slow_client(host, port, stop, k, out):
    request = b"POST /api/isochrone HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n" + b"x" * 100
    start = time.monotonic()
    answer = b""
    try:
        with socket.create_connection((host, port), timeout=5, source_address=source("127.0.2", k)) as s:
            for b in request:
                if stop.is_set():
                    break
                try:
                    s.sendall(bytes([b]))
                except OSError:
                    break
                s.settimeout(1.0)
                try:
                    answer = s.recv(4096)
                except socket.timeout:
                    continue
                break  # the server answered (or closed) before the request was complete
    except OSError:
        pass
    out.append((answer[:12].decode(errors="replace") or "no answer", time.monotonic() - start))


def flood_client(host, port, stop, out):
    try:
        s = socket.create_connection((host, port), timeout=5, source_address=("127.0.3.1", 0))
    except OSError as e:
        out.append(type(e).__name__)
        return
    with s:
        s.settimeout(30)
        s.sendall(b"GET /api/info HTTP/1.1\r\nHost: x\r\n\r\n")  # kept open afterwards
        try:
            data = s.recv(65536)
        except OSError as e:
            out.append(type(e).__name__)
            return
        out.append(data[9:12].decode(errors="replace") if data else "closed")
        stop.wait(60)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("url")
    ap.add_argument("--clients", type=int, default=200)
    ap.add_argument("--slow", type=int, default=10)
    ap.add_argument("--flood", type=int, default=0)
    ap.add_argument("--timeout", type=float, default=40.0)
    a = ap.parse_args()
    u = urllib.parse.urlparse(a.url)
    stop = threading.Event()
    slow_results, flood_results = [], []
    slow = [threading.Thread(target=slow_client, args=(u.hostname, u.port, stop, k, slow_results), daemon=True)
            for k in range(a.slow)]
    slow += [threading.Thread(target=flood_client, args=(u.hostname, u.port, stop, flood_results), daemon=True)
             for _ in range(a.flood)]
    for t in slow:
        t.start()
    time.sleep(2.0)  # the slow clients hold their workers by now
    results = []
    threads = [threading.Thread(target=get_info, args=(u.hostname, u.port, a.timeout, results, k)) for k in range(a.clients)]
    start = time.monotonic()
    for t in threads:
        t.start()
    for t in threads:
        t.join(a.timeout + 5)
    wall = time.monotonic() - start
    deadline = time.monotonic() + a.timeout
    while len(slow_results) < a.slow and time.monotonic() < deadline:
        time.sleep(0.2)
    stop.set()
    ok = sorted(d for good, d, _ in results if good)
    failed = [(d, why) for good, d, why in results if not good]
    print(f"{a.clients} concurrent GET /api/info with {a.slow} slow clients: {len(ok)} answered, "
          f"{len(failed)} failed, {a.clients - len(results)} unfinished; wall {wall:.2f} s")
    if ok:
        p95 = ok[min(len(ok) - 1, int(0.95 * len(ok)))]
        print(f"latency: median {statistics.median(ok) * 1000:.0f} ms, p95 {p95 * 1000:.0f} ms, max {ok[-1] * 1000:.0f} ms")
    if slow_results:
        kinds = {}
        for what, _ in slow_results:
            kinds[what] = kinds.get(what, 0) + 1
        print(f"slow clients ({a.slow}): " + ", ".join(f"{k!r} x{v}" for k, v in sorted(kinds.items())) +
              f"; answered after {min(d for _, d in slow_results):.1f}-{max(d for _, d in slow_results):.1f} s")
    if flood_results:
        kinds = {}
        for what in flood_results:
            kinds[what] = kinds.get(what, 0) + 1
        print(f"flood from one address ({a.flood} connections): " + ", ".join(f"{k} x{v}" for k, v in sorted(kinds.items())))
    if failed:
        kinds = {}
        for _, why in failed:
            kinds[why] = kinds.get(why, 0) + 1
        print("failures:", ", ".join(f"{k} x{v}" for k, v in sorted(kinds.items())))
    return 1 if failed or len(results) < a.clients else 0


if __name__ == "__main__":
    raise SystemExit(main())
