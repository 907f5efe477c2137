"""Hostile JSON over the real-time socket gets an ``error`` message, as over HTTP a 400: the
messages and ``payload.data`` pass the same input gate (api/inputs.py) as HTTP bodies."""

from __future__ import annotations

import asyncio
import json

from avista_dx.emulator.runner import EmulatorHandle

from .conftest import ON_PUBLISH, RawClient


def test_deep_nesting_and_unstorable_text_are_errors_and_the_connection_lives_on(
    emulator: EmulatorHandle,
) -> None:
    database_id = emulator.seed.ids["timeSeriesDb"]  # type: ignore[union-attr]

    async def scenario() -> None:
        client = await RawClient.open(emulator)
        await client.socket.send(
            '{"type": "start", "payload": ' + "[" * 100_000 + "]" * 100_000 + "}"
        )
        deep = await client.next_message()
        assert deep["type"] == "error"
        assert deep["payload"]["errors"][0]["errorType"] == "BadRequestException"
        for hostile in ("[" * 100_000 + "]" * 100_000, json.dumps({"query": "\ud800"})):
            message = client.start_message(ON_PUBLISH, {"d": database_id, "a": "x"})
            message["payload"]["data"] = hostile
            await client.send(message)
            rejected = await client.next_message()
            assert rejected["id"] == message["id"]
            assert rejected["payload"]["errors"][0]["errorType"] == "BadRequestException"
        await client.start(ON_PUBLISH, {"d": database_id, "a": "x"})  # still serving
        await client.close()

    asyncio.run(scenario())
