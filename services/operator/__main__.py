from services.operator.server import build
from services.operator.settings import Settings
from services.runtime.config import load_settings
from services.runtime.grpc_server import run_service

if __name__ == "__main__":
    run_service("operator", load_settings(Settings), build)
