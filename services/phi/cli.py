"""`radiant phi sanitize`: batch de-identification from stdin to stdout.

Plain text in, plain text out by default; with --jsonl each input line is {"text": ..., "tenant": optional} and each
output line {"sanitized": ..., "matches": [{"category", "start", "end", "placeholder", "confidence"}]} (or
{"error": ...} for a bad line; the others still go through). Uses the default PHI policy, or per-tenant policies from
--policies FILE ({"<tenant>": {"categories": {"DIAGNOSIS": true}}, ...}, key "*" for everyone else)."""
from __future__ import annotations

import argparse
import sys
from typing import BinaryIO, TextIO

import orjson

from services.phi.detection import CATEGORIES
from services.phi.policy import Policy, plan_for_request
from services.phi.sanitizer import Sanitizer
from services.runtime.errors import RadiantError

DEFAULT_MAX_CHARS = 1_000_000


def _load_policies(path: str | None) -> dict[str, Policy]:
    if not path:
        return {}
    with open(path, "rb") as fh:
        raw = orjson.loads(fh.read())
    policies = {}
    for tenant, spec in raw.items():
        unknown = set(spec.get("categories", {})) - set(CATEGORIES)
        if unknown:
            raise SystemExit(f"{path}: unknown categories for {tenant!r}: {', '.join(sorted(unknown))}")
        policies[tenant] = Policy(tenant_id=tenant, mode=spec.get("mode", "auto"),
                                  categories=dict(spec.get("categories", {})),
                                  secrets_action=spec.get("secrets_action", "redact"), is_default=False)
    return policies


class Batch:
    def __init__(self, policies: dict[str, Policy], extra_categories: list[str], max_chars: int) -> None:
        self.sanitizer = Sanitizer()
        self.policies = policies
        self.extra = extra_categories
        self.max_chars = max_chars

    def policy(self, tenant: str | None) -> Policy:
        return self.policies.get(tenant or "*") or self.policies.get("*") or Policy(tenant_id=tenant or "default")

    def run(self, text: str, tenant: str | None = None) -> dict:
        if len(text) > self.max_chars:
            raise ValueError(f"text has {len(text)} characters; the limit is {self.max_chars}")
        plan = plan_for_request(self.policy(tenant), None, self.extra)
        result = self.sanitizer.sanitize([text], plan.categories, plan.reject_secrets)
        return {"sanitized": result.texts[0], "matches": [
            {"category": m.category, "start": m.start, "end": m.end, "placeholder": m.placeholder,
             "confidence": round(m.confidence, 3)} for m in result.matches]}


def _jsonl(batch: Batch, stdin: BinaryIO, stdout: TextIO) -> int:
    failures = 0
    for lineno, raw in enumerate(stdin, start=1):
        if not raw.strip():
            continue
        try:
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError as exc:
                raise ValueError(f"not valid UTF-8 (byte {exc.start})") from None
            try:
                item = orjson.loads(line)
            except orjson.JSONDecodeError:
                raise ValueError("not a JSON object") from None
            if not isinstance(item, dict) or not isinstance(item.get("text"), str):
                raise ValueError('expected an object with a string "text"')
            tenant = item.get("tenant")
            if tenant is not None and not isinstance(tenant, str):
                raise ValueError('"tenant" must be a string')
            out = batch.run(item["text"], tenant)
        except (ValueError, RadiantError) as exc:
            failures += 1
            out = {"error": f"line {lineno}: {exc}"}
        stdout.write(orjson.dumps(out).decode() + "\n")
    return 1 if failures else 0


def main(argv: list[str] | None = None, stdin: BinaryIO | None = None, stdout: TextIO | None = None) -> int:
    parser = argparse.ArgumentParser(prog="radiant phi", description="PHI tools")
    sub = parser.add_subparsers(dest="command", required=True)
    s = sub.add_parser("sanitize", help="replace PHI in text read from stdin")
    s.add_argument("--jsonl", action="store_true", help='JSON Lines in/out ({"text": ...} per line)')
    s.add_argument("--policies", help="JSON file with per-tenant policies")
    s.add_argument("--categories", default="", help="extra categories to replace, comma separated (e.g. DIAGNOSIS)")
    s.add_argument("--max-chars", type=int, default=DEFAULT_MAX_CHARS, help="size limit per input")
    args = parser.parse_args(argv)
    stdin = stdin or sys.stdin.buffer
    stdout = stdout or sys.stdout
    extra = [c.strip().upper() for c in args.categories.split(",") if c.strip()]
    batch = Batch(_load_policies(args.policies), extra, args.max_chars)
    try:
        plan_for_request(batch.policy(None), None, extra)
    except RadiantError as exc:
        parser.error(f"{exc.message}: {exc.details}")
    if args.jsonl:
        return _jsonl(batch, stdin, stdout)
    data = stdin.read()
    try:
        text = data.decode("utf-8")
        out = batch.run(text)
    except UnicodeDecodeError as exc:
        sys.stderr.write(f"radiant phi sanitize: input is not valid UTF-8 (byte {exc.start})\n")
        return 2
    except (ValueError, RadiantError) as exc:
        sys.stderr.write(f"radiant phi sanitize: {exc}\n")
        return 2
    stdout.write(out["sanitized"])
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
