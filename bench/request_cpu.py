"""CPU per Bot API request: PTB's ``HTTPXRequest`` against our ``AiohttpRequest``.

``python -m bench.request_cpu [--requests N] [--concurrency C]`` starts a small Bot API
stand-in in a child process (so its CPU is not counted), then sends the same ``sendMessage``
calls through each request class, in alternating rounds, and prints the client's CPU
milliseconds per request and the wall time. Run it on a quiet machine; compare the two
figures of one run with each other.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import sys
import time

from telegram.request import BaseRequest, HTTPXRequest, RequestData
from telegram.request._requestparameter import RequestParameter

from bot.channels.telegram.request import AiohttpRequest

RESULT = {
    "ok": True,
    "result": {
        "message_id": 1,
        "date": 0,
        "chat": {"id": 1, "type": "private"},
        "text": "Hvordan vil du svare?",
    },
}

SERVER = f"""
import sys
from aiohttp import web
body = {json.dumps(json.dumps(RESULT))}
async def handle(request):
    await request.read()
    return web.Response(text=body, content_type="application/json")
app = web.Application()
app.router.add_post("/{{tail:.*}}", handle)
def ready(*_args):
    print("ready", flush=True)
web.run_app(app, host="127.0.0.1", port=int(sys.argv[1]), print=ready)
"""


def request_data() -> RequestData:
    """A typical reply: a text with an inline keyboard."""
    keyboard = {"inline_keyboard": [[{"text": "Neste", "callback_data": "a:q1:next"}]]}
    return RequestData(
        [
            RequestParameter("chat_id", 1001, None),
            RequestParameter("text", "Lagret ✅ Neste spørsmål: Hva trenger byen din mest?", None),
            RequestParameter("reply_markup", keyboard, None),
        ]
    )


async def run(request: BaseRequest, url: str, count: int, concurrency: int) -> tuple[float, float]:
    """CPU ms per request and wall seconds for ``count`` requests, ``concurrency`` at a time."""
    await request.initialize()
    try:
        await request.post(url, request_data())  # warm up: connect, imports
        queue = iter(range(count))

        async def worker() -> None:
            for _ in queue:
                await request.post(url, request_data())

        cpu, wall = time.process_time(), time.perf_counter()
        await asyncio.gather(*(worker() for _ in range(concurrency)))
        return (time.process_time() - cpu) * 1000 / count, time.perf_counter() - wall
    finally:
        await request.shutdown()


async def main(count: int, concurrency: int, rounds: int, port: int) -> None:
    """Start the stand-in, measure both classes in alternating rounds, print the figures."""
    server = await asyncio.create_subprocess_exec(
        sys.executable, "-c", SERVER, str(port), stdout=asyncio.subprocess.PIPE
    )
    try:
        assert server.stdout is not None
        await server.stdout.readline()
        url = f"http://127.0.0.1:{port}/botTOKEN/sendMessage"
        figures: dict[str, list[float]] = {"httpx": [], "aiohttp": []}
        for _ in range(rounds):
            for name, request in (
                ("httpx", HTTPXRequest(connection_pool_size=concurrency)),
                ("aiohttp", AiohttpRequest(connection_pool_size=concurrency)),
            ):
                cpu, wall = await run(request, url, count, concurrency)
                figures[name].append(cpu)
                print(f"{name:8} {cpu:6.3f} ms CPU/request  {count / wall:7.0f} requests/s")
        best = {name: min(values) for name, values in figures.items()}
        print(
            f"best of {rounds}: httpx {best['httpx']:.3f} ms, aiohttp {best['aiohttp']:.3f} ms"
            f" CPU per request; aiohttp/httpx = {best['aiohttp'] / best['httpx']:.2f}"
        )
    finally:
        server.terminate()
        await server.wait()


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--requests", type=int, default=3000)
    parser.add_argument("--concurrency", type=int, default=20)
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--port", type=int, default=18733)
    args = parser.parse_args()
    asyncio.run(main(args.requests, args.concurrency, args.rounds, args.port))
