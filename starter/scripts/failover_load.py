#!/usr/bin/env python3
"""Load for bench-failover.sh: keeps ProvisionVm runs going against both control-plane replicas and
records what happened to each, so that the bench can count lost runs and recovery times.

Every --interval seconds it submits one VM (libvirt's test driver: no guest, the whole workflow
otherwise) with an Idempotency-Key, to the replicas in turn; a refused or failed submission is
retried with the same key on the other replica until it is accepted or --give-up seconds pass (the
key makes a retry answer with the same run, never a second one). A poller follows every accepted
run through either replica until it ends, and deletes a VM once its run SUCCEEDED (a DeleteVm run,
not counted: the test driver's node has 3 GiB, and placement must not run out). Runs until the file --stop exists, then waits up to
--drain seconds for the accepted runs to end and writes one JSON line per submission to --out:
seq, name, submitted (epoch s), accepted (epoch s or null), run_id, state, ended (epoch s, as
first seen ended), attempts (submissions tried).

Only the standard library: the bench runs on a bare cluster machine.
"""
import argparse
import json
import os
import threading
import time
import urllib.error
import urllib.request

TERMINAL = {"SUCCEEDED", "FAILED", "CANCELLED"}


def request(base, token, method, path, body=None, headers=None, timeout=10):
    data = json.dumps(body).encode() if body is not None else None
    req = urllib.request.Request(base + path, data=data, method=method)
    req.add_header("Authorization", "Bearer " + token)
    if data is not None:
        req.add_header("Content-Type", "application/json")
    for k, v in (headers or {}).items():
        req.add_header(k, v)
    with urllib.request.urlopen(req, timeout=timeout) as resp:
        return resp.status, json.loads(resp.read() or b"null")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--api", action="append", required=True, help="a replica's base URL (give each)")
    ap.add_argument("--token-file", required=True)
    ap.add_argument("--out", required=True)
    ap.add_argument("--stop", required=True)
    ap.add_argument("--interval", type=float, default=1.0)
    ap.add_argument("--give-up", type=float, default=180.0)
    ap.add_argument("--drain", type=float, default=240.0)
    ap.add_argument("--prefix", default="fo")
    args = ap.parse_args()
    token = open(args.token_file).read().strip()
    apis = args.api
    runs = []  # dicts, appended by submitters, updated by the poller
    lock = threading.Lock()

    def submit(entry):
        body = {"name": entry["name"], "vcpus": 1, "memoryMib": 64, "diskGib": 1, "image": "tiny"}
        deadline = entry["submitted"] + args.give_up
        i = entry["seq"]
        while time.time() < deadline:
            base = apis[i % len(apis)]
            i += 1
            entry["attempts"] += 1
            try:
                status, answer = request(base, token, "POST", "/api/v1/vms", body,
                                         {"Idempotency-Key": entry["name"]})
                if status == 202 and answer and answer.get("runId"):
                    with lock:
                        entry["accepted"] = time.time()
                        entry["run_id"] = answer["runId"]
                    return
                entry["last_error"] = f"{base}: HTTP {status}"
            except urllib.error.HTTPError as e:
                entry["last_error"] = f"{base}: HTTP {e.code} {e.read()[:200]!r}"
            except Exception as e:  # refused, reset, timeout: the replica or its database is down
                entry["last_error"] = f"{base}: {type(e).__name__}: {e}"
            time.sleep(0.5)

    def poll():
        while True:
            with lock:
                open_runs = [r for r in runs if r["run_id"] and r["state"] not in TERMINAL]
                stopping = os.path.exists(args.stop)
            for r in open_runs:
                for base in (apis[r["seq"] % len(apis)], apis[(r["seq"] + 1) % len(apis)]):
                    try:
                        _, run = request(base, token, "GET", "/api/v1/runs/" + r["run_id"], timeout=5)
                        with lock:
                            r["state"] = run.get("state")
                            if r["state"] in TERMINAL and not r["ended"]:
                                r["ended"] = time.time()
                        if r["state"] == "SUCCEEDED" and not r.get("deleted"):
                            request(base, token, "DELETE", "/api/v1/vms/" + r["name"], timeout=5)
                            r["deleted"] = True
                        break
                    except Exception:
                        continue
            if stopping and poll.done:
                return
            time.sleep(0.5)

    poll.done = False
    poller = threading.Thread(target=poll, daemon=True)
    poller.start()
    submitters = []
    seq = 0
    started = time.time()
    while not os.path.exists(args.stop):
        entry = {"seq": seq, "name": f"{args.prefix}-{seq:05d}", "submitted": time.time(), "accepted": None,
                 "run_id": None, "state": None, "ended": None, "attempts": 0, "last_error": None}
        with lock:
            runs.append(entry)
        t = threading.Thread(target=submit, args=(entry,), daemon=True)
        t.start()
        submitters.append(t)
        seq += 1
        time.sleep(max(0.0, started + seq * args.interval - time.time()))
    for t in submitters:
        t.join()
    deadline = time.time() + args.drain
    while time.time() < deadline:
        with lock:
            if all(r["state"] in TERMINAL for r in runs if r["run_id"]):
                break
        time.sleep(1)
    poll.done = True
    with lock, open(args.out, "w") as f:
        for r in runs:
            f.write(json.dumps(r) + "\n")


if __name__ == "__main__":
    main()
