"""Pure ASGI middleware: a client that goes away cancels its request.

Once the request body has been read, the connection is watched (uvicorn answers `receive()` with `http.disconnect`
when the client closes it). If the client leaves before the response has started (a non-streaming request still
waiting for its provider), the request task is cancelled, which closes the upstream HTTP call. For a response that
has started (a stream), the disconnect is handed to the app, whose StreamingResponse stops the stream; the pipeline
then closes the upstream and meters what was generated."""
from __future__ import annotations

import asyncio


class CancelOnDisconnectMiddleware:
    def __init__(self, app) -> None:
        self.app = app

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        task = asyncio.current_task()
        gone = asyncio.Event()
        state = {"started": False, "cancelled": False}
        watcher: asyncio.Task | None = None

        async def watch() -> None:
            while (await receive())["type"] != "http.disconnect":
                pass
            gone.set()
            if not state["started"] and task is not None:
                state["cancelled"] = True
                task.cancel()

        async def app_receive():
            nonlocal watcher
            if watcher is not None:
                # The body is read; only a disconnect can come now, and the watcher reports it.
                await gone.wait()
                return {"type": "http.disconnect"}
            message = await receive()
            if message["type"] == "http.request" and not message.get("more_body"):
                watcher = asyncio.create_task(watch())
            elif message["type"] == "http.disconnect":
                gone.set()
            return message

        async def app_send(message):
            if message["type"] == "http.response.start":
                state["started"] = True
            await send(message)

        try:
            await self.app(scope, app_receive, app_send)
        except asyncio.CancelledError:
            if not state["cancelled"]:
                raise
            task.uncancel()  # our own cancellation: the client is gone, nothing to answer
        finally:
            if watcher is not None:
                watcher.cancel()
