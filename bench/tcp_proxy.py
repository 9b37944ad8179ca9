"""A small TCP proxy for benchmarks and tests: delays every packet, counts round trips, refuses at will.

Runs its own asyncio loop on a daemon thread. `delay_s` is added to each direction, so a
round trip costs 2 × delay_s more. `round_trips` counts the client's requests that follow an answer
(the first chunk the client sends after the server last sent something): a pipelined batch
written in several pieces before any answer is one, as the wait it costs is one. `refuse(True)` drops
every open connection and turns new ones away until `refuse(False)`: the database "goes away".

As a program (`python bench/tcp_proxy.py --upstream 127.0.0.1:5432 --delay-ms 20`) it prints
`LISTENING <port>` and relays until killed; `start_proxy()` runs it so, as a child process,
for benches that must not share their interpreter with the proxy's thread (bench_scale.py).
"""

from __future__ import annotations

import argparse
import asyncio
import subprocess
import sys
import threading
import time
from collections.abc import Coroutine
from pathlib import Path
from typing import Any


class DelayProxy:
    """Forward 127.0.0.1:port to target_host:target_port with a delay each way."""

    def __init__(self, target_host: str, target_port: int, delay_s: float = 0.0, port: int = 0) -> None:
        self.target = (target_host, target_port)
        self.delay_s = delay_s
        self.round_trips = 0
        self._refusing = False
        self._writers: set[asyncio.StreamWriter] = set()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="tcp-proxy", daemon=True)
        self._thread.start()
        self._server = self._call(asyncio.start_server(self._serve, "127.0.0.1", port))
        self.port: int = self._server.sockets[0].getsockname()[1]

    def _call(self, coro: Coroutine[Any, Any, Any]) -> Any:
        return asyncio.run_coroutine_threadsafe(coro, self._loop).result(10)

    def refuse(self, refusing: bool) -> None:
        """True: cut every connection now and refuse new ones; False: accept again."""
        self._refusing = refusing
        if refusing:
            self._call(self._drop_all())

    async def _drop_all(self) -> None:
        for w in list(self._writers):
            w.transport.abort()
        self._writers.clear()

    def close(self) -> None:
        """Stop the proxy and its thread."""
        self.refuse(True)
        self._server.close()
        self._call(self._cancel_tasks())
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(5)

    async def _cancel_tasks(self) -> None:
        tasks = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
        for t in tasks:
            t.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)

    async def _serve(self, client_r: asyncio.StreamReader, client_w: asyncio.StreamWriter) -> None:
        if self._refusing:
            client_w.transport.abort()
            return
        try:
            server_r, server_w = await asyncio.open_connection(*self.target)
        except OSError:
            client_w.transport.abort()
            return
        self._writers.update((client_w, server_w))
        answered = [True]  # the server spoke since the client's last counted request
        try:
            await asyncio.gather(self._pump(client_r, server_w, answered, count=True),
                                 self._pump(server_r, client_w, answered, count=False), return_exceptions=True)
        except asyncio.CancelledError:  # the proxy is closing: end quietly
            pass
        for w in (client_w, server_w):
            self._writers.discard(w)
            w.transport.abort()

    async def _pump(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter, answered: list[bool],
                    count: bool) -> None:
        """Copy one direction, each chunk held back delay_s (order kept: one queue per direction)."""
        queue: asyncio.Queue[tuple[float, bytes]] = asyncio.Queue()

        async def send() -> None:
            while True:
                due, data = await queue.get()
                if not data:
                    writer.transport.abort()
                    return
                wait = due - time.monotonic()
                if wait > 0:
                    await asyncio.sleep(wait)
                writer.write(data)
                await writer.drain()

        sender = asyncio.ensure_future(send())
        try:
            while True:
                data = await reader.read(65536)
                if count and data and answered[0]:
                    self.round_trips += 1
                answered[0] = not count
                await queue.put((time.monotonic() + self.delay_s, data))
                if not data:
                    break
            await sender
        finally:
            sender.cancel()


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
    proxy = DelayProxy(host, int(port), args.delay_ms / 1000, args.port)
    print("LISTENING", proxy.port, flush=True)
    try:
        proxy._thread.join()
    except KeyboardInterrupt:
        proxy.close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
