import uvloop

from services.router.server import serve
from services.router.settings import Settings
from services.runtime.config import ConfigError, load_settings
from services.runtime.logs import configure_logging
from services.runtime.grpc_server import configure_observability
from services.runtime.metrics import serve_metrics
from services.runtime.tracing import shutdown_tracing

settings = load_settings(Settings)
configure_logging("router", settings.log_level)
configure_observability("router", settings)
serve_metrics(settings.metrics_port, settings.http_host)
try:
    uvloop.run(serve(settings))
except ConfigError as exc:
    raise SystemExit(str(exc)) from None
finally:
    shutdown_tracing()
