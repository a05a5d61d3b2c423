"""python -m services.auth"""
from services.auth.server import build
from services.auth.settings import Settings
from services.runtime.config import load_settings
from services.runtime.grpc_server import run_service

if __name__ == "__main__":
    run_service("auth", load_settings(Settings), build)
