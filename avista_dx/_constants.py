"""Documented defaults of avista-dx, in one place."""

from __future__ import annotations

import httpx

PRODUCTION_ENDPOINT = (
    "https://rrfs7pb7ancybo7bom7uxcsaxq.appsync-api.us-west-2.amazonaws.com/graphql"
)
TOKEN_ENV = "AVISTA_DX_TOKEN"
ENDPOINT_ENV = "AVISTA_DX_ENDPOINT"
LOG_ENV = "AVISTA_DX_LOG"

# A stalled exchange should fail a call in about a minute, an unreachable one in seconds.
DEFAULT_TIMEOUT = httpx.Timeout(60.0, connect=5.0)
DEFAULT_MAX_RETRIES = 2
INITIAL_RETRY_DELAY = 0.5  # seconds, doubled on each attempt
MAX_RETRY_DELAY = 8.0  # seconds, cap of the computed back-off
MAX_RETRY_AFTER = 60.0  # seconds; a longer Retry-After falls back to our own back-off

# Timestream's WriteRecords limit, which the exchange passes through.
MAX_RECORDS_PER_PUBLISH = 100
DEFAULT_PUBLISH_CONCURRENCY = 4

TRANSFER_CHUNK_BYTES = 1024 * 1024
