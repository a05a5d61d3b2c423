"""CI's first step: the README's first command, as a new user runs it, on a base install.

In a scratch directory: a new, empty virtualenv; `pip install -e <repo>` with no extras; `radiant up` started with the
README's environment; wait for /readyz; the README's curl example (run as written); the answer must hold the original
PHI values while the demo provider saw only placeholders; Ctrl-C (SIGINT); every child process must be gone.
Any failure prints the stack's output and exits non-zero. Standard library only: it runs before anything is installed.

Run: python3 scripts/smoke_readme.py [--keep]"""
from __future__ import annotations

import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
README = ROOT / "README.md"
READY_TIMEOUT = 180
PHI_VALUES = ("John Smith", "123-45-6789")
PLACEHOLDERS = ("[PHI_NAME_1]", "[PHI_SSN_1]")
# The first command's shape: <python> -m venv <dir> && <dir>/bin/pip install -e . && [VAR=value ...] <dir>/bin/radiant up
FIRST_COMMAND = re.compile(r"^(?P<python>\S+) -m venv (?P<venv>\S+) && (?P=venv)/bin/pip install -e \. && "
                           r"(?P<env>(?:[A-Z_][A-Z0-9_]*=\S+ )*)(?P=venv)/bin/radiant up$")


class SmokeFailure(Exception):
    pass


def step(text: str) -> None:
    print(f"smoke: {text}", flush=True)


def bash_blocks(markdown: str) -> list[str]:
    return [block.strip() for block in re.findall(r"```bash\n(.*?)```", markdown, flags=re.S)]


def readme_commands() -> tuple[re.Match, str]:
    blocks = bash_blocks(README.read_text(encoding="utf-8"))
    if not blocks:
        raise SmokeFailure("README.md has no ```bash blocks")
    first = FIRST_COMMAND.match(blocks[0])
    if first is None:
        raise SmokeFailure(f"the README's first command no longer has the shape this check runs:\n  {blocks[0]}")
    curl = next((b for b in blocks if b.startswith("curl ") and "/v1/chat/completions" in b), None)
    if curl is None:
        raise SmokeFailure("README.md has no curl example for /v1/chat/completions")
    return first, curl


def http_get(url: str, timeout: float = 5) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:  # noqa: S310 - loopback only
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()


def descendants_of(python: Path) -> list[tuple[int, str]]:
    """Processes still running the scratch venv's interpreter (the launcher's children run `<python> -m ...`)."""
    found = []
    for proc in Path("/proc").iterdir():
        if not proc.name.isdigit():
            continue
        try:
            cmdline = (proc / "cmdline").read_bytes().split(b"\0")
        except OSError:
            continue
        if cmdline and cmdline[0].decode(errors="replace").startswith(str(python.parent)):
            found.append((int(proc.name), " ".join(c.decode(errors="replace") for c in cmdline if c)))
    return found


def run(scratch: Path) -> None:
    first, curl = readme_commands()
    venv = scratch / "venv"
    step(f"new virtualenv in {venv} (README: {first['python']} -m venv {first['venv']})")
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    step("pip install -e . (base install: no extras)")
    install = subprocess.run([str(venv / "bin" / "pip"), "install", "-q", "--disable-pip-version-check", "-e",
                              str(ROOT)], capture_output=True, text=True)
    if install.returncode != 0:
        raise SmokeFailure(f"pip install -e . failed:\n{install.stdout[-3000:]}\n{install.stderr[-3000:]}")

    workdir = scratch / "run"
    workdir.mkdir()
    env = {k: v for k, v in os.environ.items() if not k.startswith("RADIANT_")}
    env.update(dict(pair.split("=", 1) for pair in first["env"].split()))
    log_path = scratch / "stack.log"
    command = [str(venv / "bin" / "radiant"), "up"]
    step(f"{first['env']}radiant up (in {workdir})")
    with open(log_path, "w", encoding="utf-8") as log:
        launcher = subprocess.Popen(command, cwd=workdir, env=env, stdout=log, stderr=subprocess.STDOUT,
                                    stdin=subprocess.DEVNULL)
    try:
        _exercise(launcher, curl, workdir, venv)
    except BaseException:
        if launcher.poll() is None:
            launcher.send_signal(signal.SIGINT)
            try:
                launcher.wait(30)
            except subprocess.TimeoutExpired:
                launcher.kill()
        print("---- radiant up output ----", file=sys.stderr)
        print(log_path.read_text(encoding="utf-8", errors="replace")[-20000:], file=sys.stderr)
        print("---- end of radiant up output ----", file=sys.stderr)
        for pid, cmd in descendants_of(venv / "bin" / "python"):
            os.kill(pid, signal.SIGKILL)
        raise


def _exercise(launcher: subprocess.Popen, curl: str, workdir: Path, venv: Path) -> None:
    deadline = time.monotonic() + READY_TIMEOUT
    status = None
    while time.monotonic() < deadline:
        if launcher.poll() is not None:
            raise SmokeFailure(f"radiant up exited with code {launcher.returncode} before /readyz answered 200")
        try:
            status, _ = http_get("http://127.0.0.1:8080/readyz", timeout=2)
        except OSError:
            status = None
        if status == 200 and (workdir / ".radiant" / "stack.json").exists():  # written once every child is ready
            break
        time.sleep(0.5)
    else:
        raise SmokeFailure(f"/readyz did not answer 200 within {READY_TIMEOUT}s (last: {status})")
    step("/readyz 200")

    state = json.loads((workdir / ".radiant" / "stack.json").read_text())
    pids = {name: svc["pid"] for name, svc in state["services"].items()}

    step("the README's curl example")
    answer = subprocess.run(["bash", "-c", curl], capture_output=True, text=True, timeout=60)
    if answer.returncode != 0:
        raise SmokeFailure(f"curl failed ({answer.returncode}): {answer.stderr}")
    try:
        content = json.loads(answer.stdout)["choices"][0]["message"]["content"]
    except (ValueError, KeyError, IndexError, TypeError):
        raise SmokeFailure(f"the curl example did not get a chat completion: {answer.stdout[:2000]}") from None
    missing = [v for v in PHI_VALUES if v not in content]
    if missing:
        raise SmokeFailure(f"the answer does not hold the original values {missing}: {content!r}")
    step("answer holds the original PHI values")

    status, body = http_get("http://127.0.0.1:8090/_demo/requests")
    seen = body.decode()
    if status != 200:
        raise SmokeFailure(f"/_demo/requests answered {status}")
    leaked = [v for v in PHI_VALUES if v in seen]
    if leaked or not all(p in seen for p in PLACEHOLDERS):
        raise SmokeFailure(f"the demo provider saw {seen[:2000]!r}: leaked {leaked}, expected {PLACEHOLDERS}")
    step("the demo provider saw only placeholders")

    step("Ctrl-C")
    launcher.send_signal(signal.SIGINT)
    try:
        code = launcher.wait(60)
    except subprocess.TimeoutExpired:
        raise SmokeFailure("radiant up did not stop within 60 s of Ctrl-C") from None
    if code != 0:
        raise SmokeFailure(f"radiant up exited with {code} after Ctrl-C")
    time.sleep(0.2)
    alive = [name for name, pid in pids.items() if Path(f"/proc/{pid}").exists()]
    stray = descendants_of(venv / "bin" / "python")
    if alive or stray:
        raise SmokeFailure(f"still running after Ctrl-C: {alive} {stray}")
    step(f"every child is gone ({', '.join(sorted(pids))})")


def main(argv: list[str]) -> int:
    keep = "--keep" in argv
    scratch = Path(tempfile.mkdtemp(prefix="radiant-smoke-"))
    try:
        run(scratch)
    except SmokeFailure as exc:
        print(f"smoke: FAILED: {exc}", file=sys.stderr)
        return 1
    finally:
        if not keep:
            shutil.rmtree(scratch, ignore_errors=True)
    step("README's first command: OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
