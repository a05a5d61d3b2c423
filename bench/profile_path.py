"""Where each Radiant process spends its CPU on the full path: starts the stack (as bench.full_path does), drives
32 clients with the limited tenant and records every Radiant process with py-spy (`pip install py-spy` into the venv;
it needs ptrace rights), then prints each process's functions by self and inclusive share of samples.

    .venv/bin/python -m bench.profile_path [--seconds 8] [--clients 32] [--top 25] [KEY=VALUE settings ...]
    e.g. ... RADIANT_PHI_MODE=library
"""
from __future__ import annotations

import argparse
import asyncio
import collections
import os
import secrets
import shutil
import subprocess
import sys
import tempfile

from bench.full_path import BODY, limited_key
from bench.loadgen import run
from services.stack.config import free_ports_env
from services.stack.launcher import Stack

PROFILED = ("router", "auth", "phi", "metering")


def summary(path: str, top: int) -> str:
    own, inclusive, total = collections.Counter(), collections.Counter(), 0
    with open(path) as f:
        for line in f:
            stack, _, count = line.rstrip().rpartition(" ")
            n = int(count)
            total += n
            frames = stack.split(";")
            own[frames[-1]] += n
            for frame in set(frames):
                inclusive[frame] += n
    rows = [f"{total} samples", "self:"] + [f"  {100 * n / total:5.1f}% {f}" for f, n in own.most_common(top)]
    rows += ["inclusive:"] + [f"  {100 * n / total:5.1f}% {f}" for f, n in inclusive.most_common(top)]
    return "\n".join(rows)


async def profile(stack: Stack, seconds: float, clients: int, out_dir: str) -> dict[str, str]:
    key = await limited_key(stack)
    url, headers = f"{stack.http_url}/v1/chat/completions", {"authorization": f"Bearer {key}"}
    await run("warmup", url, BODY, headers, 4, 2)
    spy = shutil.which("py-spy") or os.path.join(os.path.dirname(sys.executable), "py-spy")
    outputs = {name: os.path.join(out_dir, f"{name}.txt") for name in PROFILED}
    recorders = [subprocess.Popen([spy, "record", "-p", str(stack.pids[name]), "-d", str(int(seconds)), "-r", "200",
                                   "-f", "raw", "-o", path, "--nonblocking"],
                                  stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for name, path in outputs.items()]
    result = await run("profiled", url, BODY, headers, clients, seconds + 1)
    for recorder in recorders:
        recorder.wait()
    print(f"{result.requests} requests ({result.errors} errors) at {clients} clients while recording")
    return outputs


def main() -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--seconds", type=float, default=8)
    ap.add_argument("--clients", type=int, default=32)
    ap.add_argument("--top", type=int, default=25)
    ap.add_argument("settings", nargs="*", help="KEY=VALUE environment for the stack")
    args = ap.parse_args()
    api_key = "bench-" + secrets.token_urlsafe(16)
    env = {**free_ports_env(), "RADIANT_BOOTSTRAP_API_KEY": api_key, "RADIANT_LOG_LEVEL": "warning",
           "RADIANT_USAGE_STREAM": f"radiant:usage:bench:{api_key}", **dict(s.split("=", 1) for s in args.settings)}
    with tempfile.TemporaryDirectory() as data_dir, Stack(env, data_dir) as stack:
        outputs = asyncio.run(profile(stack, args.seconds, args.clients, data_dir))
        for name, path in outputs.items():
            if os.path.exists(path):
                print(f"\n## {name}\n{summary(path, args.top)}")


if __name__ == "__main__":
    main()
