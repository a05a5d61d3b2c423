"""`radiant up --tls`: a local CA and a server certificate in the data dir, the REST edge over HTTPS, and the stock
boto3 bedrock-runtime client (which sends bearer tokens over HTTPS only) working with nothing but the printed
variables."""
from __future__ import annotations

import json
import os
import re
import signal
import socket
import ssl
import subprocess
import sys
import textwrap

from services.stack.config import free_ports_env
from services.stack.tls import ensure_local_tls
from tests.stack.test_radiant_up import BOOTSTRAP_KEY, read_until_banner, start_radiant_up


def _handshake(port: int, ca_file: str, server_name: str) -> dict:
    context = ssl.create_default_context(cafile=ca_file)
    with socket.create_connection(("127.0.0.1", port), timeout=5) as raw:
        with context.wrap_socket(raw, server_hostname=server_name) as tls:
            return tls.getpeercert()


def test_local_ca_is_created_once_and_its_server_certificate_names_localhost(tmp_path):
    first = ensure_local_tls(tmp_path)
    files = {p: p.read_bytes() for p in (first.ca_file, first.cert_file, first.key_file)}
    assert oct((tmp_path / "tls" / "ca-key.pem").stat().st_mode & 0o777) == "0o600"
    assert oct(first.key_file.stat().st_mode & 0o777) == "0o600"
    again = ensure_local_tls(tmp_path)
    assert {p: p.read_bytes() for p in (again.ca_file, again.cert_file, again.key_file)} == files

    # A real TLS server with the certificate: clients trusting only the CA accept it for 127.0.0.1 and localhost.
    server_ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    server_ctx.load_cert_chain(first.cert_file, first.key_file)
    with socket.socket() as listener:
        listener.bind(("127.0.0.1", 0))
        listener.listen(2)
        port = listener.getsockname()[1]
        import threading

        def serve_twice():
            for _ in range(2):
                conn, _ = listener.accept()
                try:
                    with server_ctx.wrap_socket(conn, server_side=True):
                        pass
                except (ssl.SSLError, OSError):
                    pass
        thread = threading.Thread(target=serve_twice, daemon=True)
        thread.start()
        for name in ("127.0.0.1", "localhost"):
            assert _handshake(port, str(first.ca_file), name)["subjectAltName"]
        thread.join(timeout=5)
    assert first.client_env() == {"AWS_CA_BUNDLE": str(first.ca_file), "SSL_CERT_FILE": str(first.ca_file),
                                  "REQUESTS_CA_BUNDLE": str(first.ca_file)}


def test_a_damaged_certificate_is_replaced(tmp_path):
    tls = ensure_local_tls(tmp_path)
    ca = tls.ca_file.read_bytes()
    tls.cert_file.write_text("not a certificate")
    ensure_local_tls(tmp_path)
    assert tls.ca_file.read_bytes() == ca  # the CA clients already trust is kept
    assert tls.cert_file.read_bytes().startswith(b"-----BEGIN CERTIFICATE-----")


_BOTO3_SCRIPT = textwrap.dedent("""
    import json, sys
    import boto3
    client = boto3.client("bedrock-runtime", endpoint_url=sys.argv[1], region_name="us-east-1")
    messages = [{"role": "user", "content": [{"text": "Patient John Smith, SSN 123-45-6789, called."}]}]
    answer = client.converse(modelId="radiant-demo", messages=messages)
    streamed = []
    for event in client.converse_stream(modelId="radiant-demo", messages=messages)["stream"]:
        if "contentBlockDelta" in event:
            streamed.append(event["contentBlockDelta"]["delta"].get("text", ""))
    print(json.dumps({"converse": answer["output"]["message"]["content"][0]["text"], "stream": "".join(streamed)}))
""")


def test_radiant_up_tls_serves_the_stock_boto3_bedrock_client(tmp_path):
    ports = free_ports_env()
    proc, stderr, drain = start_radiant_up(tmp_path, ports, extra_args=["--tls"])
    try:
        banner = read_until_banner(proc)
        assert "Radiant is up." in banner, f"radiant up --tls did not start:\n{banner}\n{''.join(stderr)[-4000:]}"
        https_url = f"https://127.0.0.1:{ports['RADIANT_HTTP_PORT']}"
        assert https_url in banner
        exports = re.search(r"export (AWS_CA_BUNDLE=\S+ SSL_CERT_FILE=\S+ REQUESTS_CA_BUNDLE=\S+)", banner)
        assert exports, banner
        trust = dict(pair.split("=", 1) for pair in exports.group(1).split())
        assert trust["AWS_CA_BUNDLE"] == str(tmp_path / "tls" / "ca.pem")

        # The stock client, in a process of its own, configured only by the printed variables and the API key.
        env = {k: v for k, v in os.environ.items() if not k.startswith(("AWS_", "SSL_", "REQUESTS_"))}
        env.update(trust, AWS_BEARER_TOKEN_BEDROCK=BOOTSTRAP_KEY, AWS_EC2_METADATA_DISABLED="true",
                   AWS_CONFIG_FILE=str(tmp_path / "none"), AWS_SHARED_CREDENTIALS_FILE=str(tmp_path / "none"))
        run = subprocess.run([sys.executable, "-c", _BOTO3_SCRIPT, https_url], env=env, capture_output=True,
                             text=True, timeout=120)
        assert run.returncode == 0, run.stderr[-3000:]
        answers = json.loads(run.stdout)
        for text in answers.values():
            assert "John Smith" in text and "123-45-6789" in text  # PHI restored in both answers

        # Without the CA the same client refuses the certificate: it is really HTTPS with a private CA.
        for var in trust:
            env.pop(var)
        refused = subprocess.run([sys.executable, "-c", _BOTO3_SCRIPT, https_url], env=env, capture_output=True,
                                 text=True, timeout=120)
        assert refused.returncode != 0 and "SSL" in refused.stderr

        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=60) == 0
    finally:
        if proc.poll() is None:
            proc.kill()
            proc.wait()
        drain.join(timeout=5)
    assert BOOTSTRAP_KEY not in banner + "".join(stderr)
