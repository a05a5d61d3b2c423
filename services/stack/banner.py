"""The short text `radiant up` prints once everything is ready (never any secret or API key)."""
from __future__ import annotations

from sqlalchemy.engine import make_url

from services.stack.launcher import Stack

DEMO_MODEL = "radiant-demo"  # the demo model of the registry seed catalogue
LOCAL_MODEL = "radiant-demo-local"  # the self-hosted demo model (services.registry.catalogue.LOCAL_MODEL)


def _safe_url(url: str) -> str:
    try:
        return make_url(url).render_as_string(hide_password=True)
    except Exception:  # noqa: BLE001 - unparsable: show nothing of it
        return "(set)"


def banner(stack: Stack, *, bootstrap_key_set: bool) -> str:
    c = stack.config
    if stack.embedded_database:
        database = f"embedded SQLite, one file per service in {stack.data_dir}"
    else:
        urls = sorted({_safe_url(u) for u in stack.database_urls.values()})
        database = "external: " + ", ".join(urls)
    redis = (f"embedded (in-process, in memory) at 127.0.0.1:{c.redis_port}" if stack.embedded_redis
             else f"external: {_safe_url(stack.redis_url)}")
    logs = ("this terminal (stderr), each line prefixed with its service" if stack.log_target == "stderr"
            else f"{stack.log_dir}/<service>.log")
    services = "  ".join(f"{c_.name}({c_.pid})" for c_ in stack.children)
    key_ref = "$RADIANT_BOOTSTRAP_API_KEY" if bootstrap_key_set else "$RADIANT_API_KEY"
    cacert = f" --cacert {stack.tls.ca_file}" if stack.tls is not None else ""
    lines = [
        "",
        "Radiant is up.",
        f"  REST edge      {stack.http_url}   (OpenAI-compatible /v1/*)",
        f"  console        {stack.http_url}/console   (sign in with an admin key"
        f"{': $RADIANT_BOOTSTRAP_API_KEY' if bootstrap_key_set else ''})",
        f"  GraphQL        {stack.http_url}/graphql   (POST, graphql-ws subscriptions)",
        f"  demo provider  {stack.demo_provider_url}   (echoes the last user message)",
        *([f"  self-hosted    {LOCAL_MODEL} at {stack.config.local_model_url}   (COLD: the operator starts its "
           "replica on the first request and stops it after a minute without one)"]
          if stack.config.local_model_url else []),
        f"  data dir       {stack.data_dir}",
        f"  database       {database}",
        f"  redis          {redis}",
        f"  logs           {logs}",
        f"  processes      {services}",
    ]
    if stack.tls is not None:
        exports = " ".join(f"{k}={v}" for k, v in stack.tls.client_env().items())
        lines += ["",
                  f"  TLS            the REST edge serves HTTPS with a local CA: {stack.tls.ca_file}",
                  "  Make the SDKs (boto3, openai, requests, httpx) trust it:",
                  f"    export {exports}"]
    if not bootstrap_key_set:
        lines += ["",
                  "  No admin API key was bootstrapped: restart with RADIANT_BOOTSTRAP_API_KEY=<a key of your choice>",
                  "  to get one for tenant 'default', then export it as RADIANT_API_KEY."]
    lines += [
        "",
        "Try it:",
        f"  curl -s{cacert} {stack.http_url}/v1/chat/completions \\",
        f"    -H \"Authorization: Bearer {key_ref}\" \\",
        "    -H \"Content-Type: application/json\" \\",
        f"    -d '{{\"model\": \"{DEMO_MODEL}\", \"messages\": [{{\"role\": \"user\", \"content\": \"Hello, Radiant\"}}]}}'",
        *(["",
           f"Scale to zero: send the same request with \"model\": \"{LOCAL_MODEL}\" (held until its replica is up),",
           "  then watch it: radiant models   (thermal state, replicas, phase; `radiant models set-state "
           f"{LOCAL_MODEL} WARM|COLD|OFF`)"]
          if stack.config.local_model_url else []),
        "",
        "Press Ctrl-C to stop.",
    ]
    return "\n".join(lines)
