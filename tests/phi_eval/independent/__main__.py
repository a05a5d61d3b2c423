"""Prints the tables for a sanitizer (and optionally a prompt-injection classifier) given by import path.

    python -m tests.phi_eval.independent --sanitize some.module:function --split heldout
    python -m tests.phi_eval.independent --sanitize some.module:make_sanitizer() --classify other.module:is_injection
    python -m tests.phi_eval.independent --sanitize oracle --split tune      # the set's own ceiling (recall 1)

`module:function` names a callable taking the texts of one request (list[str]) and returning the sanitized texts;
`module:factory()` calls `factory` once and uses what it returns. `--classify` takes one prompt and returns a bool."""
from __future__ import annotations

import argparse
import importlib
import json
import sys
from typing import Callable

from .dataset import DEFAULT_SEED, SPLITS, SUBSETS, documents
from .scorer import identity, make_oracle, score, score_injection


def load(path: str) -> Callable:
    module_name, sep, attr = path.partition(":")
    if not sep or not module_name or not attr:
        raise SystemExit(f"expected module:function or module:factory(), got {path!r}")
    call = attr.endswith("()")
    attr = attr[:-2] if call else attr
    try:
        obj = importlib.import_module(module_name)
    except ImportError as exc:
        raise SystemExit(f"cannot import {module_name!r}: {exc}") from exc
    for part in attr.split("."):
        if not hasattr(obj, part):
            raise SystemExit(f"{module_name!r} has no attribute {attr!r}")
        obj = getattr(obj, part)
    obj = obj() if call else obj
    if not callable(obj):
        raise SystemExit(f"{path!r} is not callable")
    return obj


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m tests.phi_eval.independent", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sanitize", help="module:function, module:factory(), 'oracle' or 'identity'")
    parser.add_argument("--classify", help="module:function for the prompt-injection sets")
    parser.add_argument("--split", choices=SPLITS, default="heldout")
    parser.add_argument("--subset", choices=SUBSETS, action="append", help="only these subsets (repeatable)")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--json", action="store_true", help="print JSON instead of tables")
    parser.add_argument("--show-misses", type=int, default=0, metavar="N",
                        help="list up to N leaked values (tune split only)")
    args = parser.parse_args(argv)
    if not args.sanitize and not args.classify:
        parser.error("give --sanitize and/or --classify")
    if args.show_misses and args.split != "tune":
        parser.error("--show-misses is only allowed with --split tune: the held-out half is for reporting only")
    out: dict = {}
    if args.sanitize:
        subsets = tuple(args.subset) if args.subset else None
        if args.sanitize == "oracle":
            sanitize = make_oracle(documents(args.split, args.seed, subsets))
        elif args.sanitize == "identity":
            sanitize = identity
        else:
            sanitize = load(args.sanitize)
        report = score(sanitize, args.split, seed=args.seed, subsets=subsets, keep_misses=bool(args.show_misses))
        if args.json:
            out["phi"] = report.to_dict()
        else:
            print(report.format())
            for miss in report.misses[:args.show_misses]:
                print(f"MISS {miss.doc_id} {miss.category}: {miss.value!r} in ...{miss.text!r}...")
    if args.classify:
        injection = score_injection(load(args.classify), args.split)
        if args.json:
            out["injection"] = injection.to_dict()
        else:
            print(injection.format())
    if args.json:
        json.dump(out, sys.stdout, indent=2, ensure_ascii=False)
        print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
