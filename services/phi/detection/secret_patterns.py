"""Secrets (credentials) detection, after the control-plane seed's secrets_detector.

Credential assignments (``password=...``, ``api_key: ...``) are reported as the *value only*, so the label stays
readable ("password=[PHI_SECRET_1]"); every other secret is reported as the whole token or block.
"""

from __future__ import annotations

import re

from ._regex import ci_chars, kw_first

# Every pattern starts with a literal or a character class so ``re`` skips quickly to candidate positions; leading
# look-behinds are checked right after the first characters. The comment above each gives the plain form.
_CRED_KEYWORDS = ("password", "passwd", "passphrase", "pwd", "pass", "secret", "client_secret", "api[_-]?key", "apikey",
                  "access[_-]?key", "access[_-]?token", "auth[_-]?token", "refresh[_-]?token", "token",
                  "private[_-]?key")
# Credential assignments. Plain form:
#   (?i)(?<![\w])(?:[\w.-]*?[_.-])?(?:password|...|private[_-]?key)["']?\s*(?::=|=>|[:=])\s*(?P<v>...)
# The optional lazy prefix only lets the keyword follow "_" inside a word ("db_password"), so it is written as a
# look-behind (no letter or digit before the keyword); ``cred_prefix_ok`` covers the one case where the prefix would
# have had to start inside the previous match.
CRED = re.compile(
    kw_first(_CRED_KEYWORDS, not_before=r"[^\W_]")
    + r"""(?i:["']?\s*(?::=|=>|[:=])\s*(?P<v>"[^"\n]{1,256}"|'[^'\n]{1,256}'|[^\s,;"'<>]{1,256}))"""
)
_W = re.compile(r"\w")
_PREFIX_RUN = re.compile(r"[\w.-]")


def cred_prefix_ok(text: str, k: int, last_end: int) -> bool:
    """For a CRED keyword at ``k`` right after "_": could the plain form's prefix start at or after ``last_end``?"""
    r = k
    while r > last_end and _PREFIX_RUN.match(text, r - 1):
        r -= 1
    if r > last_end or r == 0:
        return True  # the whole [\w.-] run before the keyword starts after the previous match
    if not _PREFIX_RUN.match(text, r - 1):
        return True  # the run starts exactly at last_end
    # the run crosses last_end: some start s in [last_end, k) must follow a non-word character
    return any(not _W.match(ch) for ch in text[max(0, last_end - 1):k - 1])


# URL with embedded credentials: scheme://user:password@host
URL_CRED = re.compile(r"(?i)\b[a-z][a-z0-9+.-]*://[^\s:/@]+:(?P<v>[^\s@/]{1,256})@")
_SCHEME_CHARS = frozenset(ci_chars("abcdefghijklmnopqrstuvwxyz") + "0123456789+.-")


def url_cred_matches(text: str):
    """``URL_CRED.finditer(text)``: a match starts in the run of scheme characters right before a "://"."""
    match = URL_CRED.match
    last_end = 0
    c = text.find("://")
    while c >= 0:
        r = c
        while r > last_end and text[r - 1] in _SCHEME_CHARS:
            r -= 1
        for s in range(r, c):
            m = match(text, s)
            if m is not None:
                yield m
                last_end = m.end()
                break
        c = text.find("://", max(c + 1, last_end))


# High-entropy value (24+ characters mixing letters and digits) assigned to a name holding KEY, SECRET, TOKEN or
# PASSWORD in env/config style ("STRIPE_SECRET_KEY=8abe...", "signing.key: 'c2VjcmV0...'"). Matched only at the
# keywords' ``str.find`` hits (see ``env_secret_matches``).
ENV_SECRET = re.compile(
    r"""(?i:key|secret|token|passw(?:or)?d)[A-Za-z0-9_.-]*["']?[ \t]*(?::=|=>|[:=])[ \t]*["']?"""
    r"(?P<v>(?=[A-Za-z+/_=-]*\d)(?=[0-9+/_=-]*[A-Za-z])[A-Za-z0-9+/_=-]{24,512})(?![A-Za-z0-9+/_=.-])")
_ENV_KEYWORDS = ("key", "secret", "token", "passw")


def env_secret_matches(text: str, low: str):
    """``ENV_SECRET`` matches starting at each keyword of the lower-cased text (same offsets as ``text``)."""
    if len(low) != len(text):
        yield from ENV_SECRET.finditer(text)
        return
    match = ENV_SECRET.match
    for kw in _ENV_KEYWORDS:
        i = low.find(kw)
        while i >= 0:
            m = match(text, i)
            if m is not None:
                yield m
            i = low.find(kw, i + len(kw))


# (compiled pattern, confidence, name of the group holding the secret or None for the whole match)
SECRET_PATTERNS: tuple[tuple[re.Pattern[str], float, str | None], ...] = (
    # PEM private key blocks (terminated, or running to the end of the text when the END line is missing)
    (re.compile(r"-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----(?:.|\n){0,20000}?"
                r"(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|\Z)"), 0.99, None),
    # AWS access key ids: (?<![A-Z0-9])(?:AKIA|ASIA|...)[A-Z0-9]{16}(?![A-Z0-9])
    (re.compile(r"A(?<![A-Z0-9]A)(?:KIA|SIA|GPA|IDA|ROA|IPA|NPA|NVA|PKA|BIA|CCA)[A-Z0-9]{16}(?![A-Z0-9])"),
     0.98, None),
    # AWS secret access key when cued:
    #   (?i)(?:aws_?secret_?access_?key|aws_?secret(?:_?key)?|secret\s+access\s+key)["']?\s*[:=]?\s*["']?(?P<v>...)
    (re.compile(kw_first(("aws_?secret_?access_?key", "aws_?secret(?:_?key)?", r"secret\s+access\s+key"),
                         not_before=None)
                + r"""(?i:["']?\s*[:=]?\s*["']?(?P<v>[A-Za-z0-9/+=]{40})(?![A-Za-z0-9/+=]))"""), 0.97, "v"),
    # Anthropic, OpenAI (sk-, sk-proj-, sk-svcacct-, sk-admin-)
    (re.compile(r"sk-ant-(?<![\w-]sk-ant-)[A-Za-z0-9_-]{20,}"), 0.99, None),
    (re.compile(r"sk-(?<![\w-]sk-)(?:proj-|svcacct-|admin-|None-)?[A-Za-z0-9_-]{20,}"), 0.97, None),
    # GitHub: (?<![\w])(?:gh[pousr]_...|github_pat_...)
    (re.compile(r"g(?<!\wg)(?:h[pousr]_[A-Za-z0-9]{36,255}|ithub_pat_[A-Za-z0-9_]{22,255})"), 0.99, None),
    # Slack tokens and webhooks
    (re.compile(r"xox(?<![\w-]xox)[abposre]-[A-Za-z0-9-]{10,}"), 0.98, None),
    (re.compile(r"https://hooks\.slack\.com/services/[A-Za-z0-9_/]+"), 0.98, None),
    # Google API key
    (re.compile(r"AIza(?<![\w-]AIza)[0-9A-Za-z_-]{35}(?![\w-])"), 0.98, None),
    # Stripe: (?<![\w])(?:sk|rk|pk)_(?:live|test)_...
    (re.compile(r"[srp](?<!\w.)k_(?:live|test)_[0-9A-Za-z]{16,}"), 0.98, None),
    # Twilio, SendGrid, npm, PyPI: (?<![\w])(?:SG\....|npm_...|pypi-...|SK[0-9a-f]{32})(?![\w-])
    (re.compile(r"[Snp](?<!\w.)(?:(?<=S)G\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}|(?<=n)pm_[A-Za-z0-9]{36}|"
                r"(?<=p)ypi-[A-Za-z0-9_-]{50,}|(?<=S)K[0-9a-f]{32})(?![\w-])"), 0.95, None),
    # JWT: three base64url segments, the first a JSON header ("eyJ")
    (re.compile(r"eyJ(?<![\w-]eyJ)[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}"), 0.97, None),
    # Authorization: Bearer / Basic: (?i)\b(?:bearer|basic)\s+(?P<v>...)
    (re.compile(kw_first(("bearer", "basic")) + r"(?i:\s+(?P<v>[A-Za-z0-9._~+/-]{16,}=*))"), 0.9, "v"),
    # credential assignments: password=..., passwd: ..., secret=..., api_key=..., token: ...
    (CRED, 0.9, "v"),
    # URL with embedded credentials (found from each "://", see ``url_cred_matches``)
    (URL_CRED, 0.95, "v"),
    # high-entropy value (24+ characters mixing letters and digits) assigned to a name holding KEY, SECRET, TOKEN or
    # PASSWORD in env/config style ("STRIPE_SECRET_KEY=8abe...", "signing.key: 'c2VjcmV0...'"):
    #   (?i)(?:key|secret|token|passw(?:or)?d)[\w.-]*["']?\s*(?::=|=>|[:=])\s*["']?(?P<v>[A-Za-z0-9+/_=-]{24,})
    (ENV_SECRET, 0.9, "v"),
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
    ("~pass", "~secret", "~key", "~token"),  # (a subset of the credential pattern's: the detector reuses its result)
)
# Patterns that additionally need every one of these substrings (case-sensitive).
SECRET_NEEDS: tuple[tuple[str, ...], ...] = ((),) * 14 + (("://", "@"), ())
assert len(SECRET_HINTS) == len(SECRET_PATTERNS) == len(SECRET_NEEDS)
