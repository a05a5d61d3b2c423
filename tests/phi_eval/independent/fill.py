"""A tiny pattern language for identifiers and phone numbers: `#` a digit, `%` a digit 1-9, `@` an upper-case letter,
`^` an upper-case letter or digit, `[abc]` / `[2-9]` one of the listed characters, anything else literally."""
from __future__ import annotations

import re
import string
from random import Random

_TOKEN = re.compile(r"\[([^\]]+)\]|.", re.S)
_ALNUM = string.ascii_uppercase + string.digits


def _choices(spec: str) -> str:
    out, i = [], 0
    while i < len(spec):
        if i + 2 < len(spec) and spec[i + 1] == "-":
            out.extend(chr(c) for c in range(ord(spec[i]), ord(spec[i + 2]) + 1))
            i += 3
        else:
            out.append(spec[i])
            i += 1
    return "".join(out)


def fill(rnd: Random, pattern: str) -> str:
    out = []
    for m in _TOKEN.finditer(pattern):
        if m.group(1) is not None:
            out.append(rnd.choice(_choices(m.group(1))))
            continue
        ch = m.group(0)
        if ch == "#":
            out.append(rnd.choice(string.digits))
        elif ch == "%":
            out.append(rnd.choice("123456789"))
        elif ch == "@":
            out.append(rnd.choice(string.ascii_uppercase))
        elif ch == "^":
            out.append(rnd.choice(_ALNUM))
        else:
            out.append(ch)
    return "".join(out)


def digits(rnd: Random, n: int, first_nonzero: bool = False) -> str:
    s = "".join(rnd.choice(string.digits) for _ in range(n))
    if first_nonzero and s[0] == "0":
        s = rnd.choice("123456789") + s[1:]
    return s
