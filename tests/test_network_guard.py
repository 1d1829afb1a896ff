"""The suite's network guard: loopback works, anything else fails the test."""

from __future__ import annotations

import asyncio
import socket

import pytest

from tests.conftest import StrayConnectionError, is_local


def test_only_this_machine_counts_as_local() -> None:
    for host in ("127.0.0.1", "127.8.9.10", "::1", "[::1]", "localhost", b"/tmp/sock"):
        assert is_local(host), host
    for host in ("api.telegram.org", "192.0.2.10", "2001:db8::1", "smtp.example.no"):
        assert not is_local(host), host


def test_a_connection_to_another_host_is_refused_and_recorded(
    no_network_beyond_loopback: list[str],
) -> None:
    with socket.socket() as sock, pytest.raises(StrayConnectionError):
        sock.connect(("192.0.2.10", 443))  # TEST-NET-1: refused before any packet is sent
    with pytest.raises(StrayConnectionError):
        socket.getaddrinfo("api.telegram.org", 443)
    assert len(no_network_beyond_loopback) == 2
    no_network_beyond_loopback.clear()  # this test caused them on purpose


async def test_asyncio_connections_go_through_the_guard(
    no_network_beyond_loopback: list[str],
) -> None:
    with pytest.raises(StrayConnectionError):
        await asyncio.open_connection("192.0.2.10", 25)
    assert no_network_beyond_loopback
    no_network_beyond_loopback.clear()


async def test_loopback_connections_work() -> None:
    async def echo(reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        writer.write(await reader.readline())
        await writer.drain()
        writer.close()

    server = await asyncio.start_server(echo, "127.0.0.1", 0)
    port = server.sockets[0].getsockname()[1]
    async with server:
        reader, writer = await asyncio.open_connection("localhost", port)
        writer.write(b"hei\n")
        assert await reader.readline() == b"hei\n"
        writer.close()
        await writer.wait_closed()
