from services.phi.server import build
from services.phi.settings import Settings
from services.runtime.config import load_settings
from services.runtime.grpc_server import run_service

run_service("phi", load_settings(Settings), build)
