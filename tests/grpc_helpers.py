"""Helpers for asserting on gRPC errors carrying the taxonomy trailer."""
import grpc

from radiant.common.v1 import common_pb2
from services.runtime.errors import ERROR_TRAILER


def error_info(exc: grpc.aio.AioRpcError) -> common_pb2.ErrorInfo:
    for key, value in exc.trailing_metadata() or ():
        if key == ERROR_TRAILER:
            return common_pb2.ErrorInfo.FromString(value)
    raise AssertionError(f"no {ERROR_TRAILER} trailer on {exc.code()}: {exc.details()}")


def error_code(exc: grpc.aio.AioRpcError) -> str:
    return error_info(exc).code
