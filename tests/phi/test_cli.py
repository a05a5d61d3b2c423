"""`radiant phi sanitize`: plain text and JSON Lines, per-line errors, policies file."""
import io
import json
import subprocess
import sys

from services.phi.cli import main


def _run(argv, data: bytes) -> tuple[int, str]:
    out = io.StringIO()
    code = main(argv, stdin=io.BytesIO(data), stdout=out)
    return code, out.getvalue()


def test_plain_text_in_plain_text_out():
    code, out = _run(["sanitize"], b"Patient John Smith, SSN 123-45-6789, seen 03/04/2021.")
    assert code == 0
    assert out == "Patient [PHI_NAME_1], SSN [PHI_SSN_1], seen [PHI_DATE_1]."


def test_jsonl_lines_with_matches_and_per_line_errors():
    lines = [json.dumps({"text": "Email jane.doe@example.org or call 617-555-0134"}).encode(),
             b"\xff\xfe not utf-8",
             b'{"text": 5}',
             b"not json",
             json.dumps({"text": "x" * 50}).encode(),
             json.dumps({"text": "Dr. Maria Garcia", "tenant": "t1"}).encode()]
    code, out = _run(["sanitize", "--jsonl", "--max-chars", "48"], b"\n".join(lines) + b"\n")
    rows = [json.loads(line) for line in out.splitlines()]
    assert code == 1 and len(rows) == 6
    assert rows[0]["sanitized"] == "Email [PHI_EMAIL_1] or call [PHI_PHONE_1]"
    assert rows[0]["matches"][0] == {"category": "EMAIL", "start": 6, "end": 26, "placeholder": "[PHI_EMAIL_1]",
                                     "confidence": rows[0]["matches"][0]["confidence"]}
    assert rows[1] == {"error": "line 2: not valid UTF-8 (byte 0)"}
    assert rows[2]["error"].startswith("line 3: expected an object")
    assert rows[3]["error"] == "line 4: not a JSON object"
    assert "limit is 48" in rows[4]["error"]
    assert "[PHI_NAME_1]" in rows[5]["sanitized"]


def test_policies_file_per_tenant(tmp_path):
    policies = tmp_path / "p.json"
    policies.write_text(json.dumps({"open": {"categories": {"PHONE": False}}}))
    data = b"\n".join(json.dumps({"text": "call 617-555-0134", "tenant": t}).encode() for t in ("open", "other"))
    code, out = _run(["sanitize", "--jsonl", "--policies", str(policies)], data)
    first, second = (json.loads(line)["sanitized"] for line in out.splitlines())
    assert code == 0 and first == "call 617-555-0134" and second == "call [PHI_PHONE_1]"


def test_console_script_end_to_end():
    proc = subprocess.run([sys.executable, "-m", "services.cli", "phi", "sanitize"], input=b"SSN 123-45-6789",
                          capture_output=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout == b"SSN [PHI_SSN_1]"
    bad = subprocess.run([sys.executable, "-m", "services.cli", "phi", "sanitize"], input=b"\xff\xff",
                         capture_output=True, timeout=60)
    assert bad.returncode == 2 and b"not valid UTF-8" in bad.stderr
