"""A TCP proxy that delays every chunk of data by a fixed time in each direction (a slow link).

    python bench/tcp_proxy.py --upstream 127.0.0.1:5432 --delay-ms 20 [--port 0]

Prints `LISTENING <port>` once it accepts connections. With --delay-ms 20 a query's round trip
through it costs 40 ms more, as a database across a city would. Chunks keep their order and are
not held back by each other: each leaves `delay` after it arrived (the link's latency, not a
bandwidth limit). Used by bench_scale.py; start_proxy() runs it as a child process.
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import time
from pathlib import Path

CHUNK = 65536


async def _pump(reader: asyncio.StreamReader, writer: asyncio.StreamWriter, delay_s: float) -> None:
    """Copy one direction: every chunk is written `delay_s` after it was read, in order."""
    queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

    async def read() -> None:
        while True:
            data = await reader.read(CHUNK)
            await queue.put((time.monotonic() + delay_s, data))
            if not data:
                return

    async def write() -> None:
        while True:
            due, data = await queue.get()
            wait = due - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            if not data:
                writer.close()
                return
            writer.write(data)
            await writer.drain()

    try:
        await asyncio.gather(read(), write())
    except (ConnectionError, asyncio.IncompleteReadError):
        writer.close()


async def serve(port: int, upstream: tuple[str, int], delay_s: float) -> None:
    """Accept connections on 127.0.0.1:`port` and relay each to `upstream` with the delay."""

    async def handle(client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        server_r, server_w = await asyncio.open_connection(*upstream)
        await asyncio.gather(_pump(client_r, server_w, delay_s), _pump(server_r, client_w, delay_s))

    server = await asyncio.start_server(handle, "127.0.0.1", port)
    print("LISTENING", server.sockets[0].getsockname()[1], flush=True)
    async with server:
        await server.serve_forever()


def start_proxy(upstream: str, delay_ms: float) -> tuple[subprocess.Popen[str], int]:
    """The proxy as a child process and its port (the caller terminates it)."""
    child = subprocess.Popen([sys.executable, str(Path(__file__).resolve()), "--upstream", upstream,
                              "--delay-ms", str(delay_ms)], stdout=subprocess.PIPE, text=True)
    assert child.stdout is not None
    line = child.stdout.readline().split()
    if len(line) != 2 or line[0] != "LISTENING":
        child.kill()
        raise RuntimeError("the delaying proxy did not start")
    return child, int(line[1])


def main() -> int:
    """Run the proxy until killed."""
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--upstream", default="127.0.0.1:5432", help="HOST:PORT to relay to")
    parser.add_argument("--delay-ms", type=float, default=20.0, help="delay each way (default 20)")
    parser.add_argument("--port", type=int, default=0, help="port to listen on (default: any free one)")
    args = parser.parse_args()
    host, _, port = args.upstream.rpartition(":")
    asyncio.run(serve(args.port, (host, int(port)), args.delay_ms / 1000))
    return 0


if __name__ == "__main__":
    sys.exit(main())
