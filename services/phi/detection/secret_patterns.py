"""Secrets (credentials) detection, after the control-plane seed's secrets_detector.

Credential assignments (``password=...``, ``api_key: ...``) are reported as the *value only*, so the label stays
readable ("password=[PHI_SECRET_1]"); every other secret is reported as the whole token or block.
"""

from __future__ import annotations

import re

# (compiled pattern, confidence, name of the group holding the secret or None for the whole match)
SECRET_PATTERNS: tuple[tuple[re.Pattern[str], float, str | None], ...] = (
    # PEM private key blocks (terminated, or running to the end of the text when the END line is missing)
    (re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:.|\n){0,20000}?"
                r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)"), 0.99, None),
    # AWS access key ids
    (re.compile(r"(?<![A-Z0-9])(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA|APKA|ABIA|ACCA)[A-Z0-9]{16}(?![A-Z0-9])"),
     0.98, None),
    # AWS secret access key when cued
    (re.compile(r"(?i)(?:aws_?secret_?access_?key|aws_?secret(?:_?key)?|secret\s+access\s+key)[\"']?\s*[:=]?\s*"
                r"[\"']?(?P<v>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=])"), 0.97, "v"),
    # Anthropic, OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-)
    (re.compile(r"(?<![\w-])sk-ant-[A-Za-z0-9_-]{20,}"), 0.99, None),
    (re.compile(r"(?<![\w-])sk-(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}"), 0.97, None),
    # GitHub
    (re.compile(r"(?<![\w])(?:gh[pousr]_[A-Za-z0-9]{36,255}|github_pat_[A-Za-z0-9_]{22,255})"), 0.99, None),
    # Slack tokens and webhooks
    (re.compile(r"(?<![\w-])xox[abposre]-[A-Za-z0-9-]{10,}"), 0.98, None),
    (re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9_/]+"), 0.98, None),
    # Google API key
    (re.compile(r"(?<![\w-])AIza[0-9A-Za-z_-]{35}(?![\w-])"), 0.98, None),
    # Stripe
    (re.compile(r"(?<![\w])(?:sk|rk|pk)_(?:live|test)_[0-9A-Za-z]{16,}"), 0.98, None),
    # Twilio, SendGrid, npm, PyPI
    (re.compile(r"(?<![\w])(?:SG\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|npm_[A-Za-z0-9]{36}|"
                r"pypi-[A-Za-z0-9_-]{50,}|SK[0-9a-f]{32})(?![\w-])"), 0.95, None),
    # JWT: three base64url segments, the first a JSON header ("eyJ")
    (re.compile(r"(?<![\w-])eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"), 0.97, None),
    # Authorization: Bearer / Basic
    (re.compile(r"(?i)\b(?:bearer|basic)\s+(?P<v>[A-Za-z0-9._~+/-]{16,}=*)"), 0.9, "v"),
    # credential assignments: password=..., passwd: ..., secret=..., api_key=..., token: ...
    (re.compile(r"(?i)(?<![\w])(?:[\w.-]*?[_.-])?(?:password|passwd|passphrase|pwd|pass|secret|client_secret|"
                r"api[_-]?key|apikey|access[_-]?key|access[_-]?token|auth[_-]?token|refresh[_-]?token|token|"
                r"private[_-]?key)[\"']?\s*(?::=|=>|[:=])\s*"
                r"(?P<v>\"[^\"\n]{1,256}\"|'[^'\n]{1,256}'|[^\s,;\"'<>]{1,256})"), 0.9, "v"),
    # URL with embedded credentials: scheme://user:password@host
    (re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<v>[^\s@/]{1,256})@"), 0.95, "v"),
)

# Values after "password:" that are not secrets ("password: <redacted>", "password=None").
NOT_A_SECRET = frozenset({"none", "null", "nil", "true", "false", "required", "optional", "yes", "no", "n/a",
                          "redacted", "<redacted>", "***", "****", "*****", "******", "********", "xxx", "xxxx",
                          "changeme?", "''", '""', "string", "str", "env", "undefined", "hidden", "masked"})

# Cheap substring gates, one tuple per pattern above (same order): a pattern runs only if one of its hints occurs
# in the text (case-sensitive hints) or in its lower-cased form (hints starting with "~").
SECRET_HINTS: tuple[tuple[str, ...], ...] = (
    ("-----BEGIN",),
    ("AKIA", "ASIA", "AGPA", "AIDA", "AROA", "AIPA", "ANPA", "ANVA", "APKA", "ABIA", "ACCA"),
    ("~secret",),
    ("sk-ant-",),
    ("sk-",),
    ("ghp_", "gho_", "ghu_", "ghs_", "ghr_", "github_pat_"),
    ("xox",),
    ("hooks.slack.com",),
    ("AIza",),
    ("_live_", "_test_"),
    ("SG.", "npm_", "pypi-", "SK"),
    ("eyJ",),
    ("~bearer", "~basic"),
    ("~pass", "~pwd", "~secret", "~key", "~token"),
    ("://",),
)
assert len(SECRET_HINTS) == len(SECRET_PATTERNS)
