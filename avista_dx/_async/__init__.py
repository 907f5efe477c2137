"""The hand-written source of both clients. scripts/unasync.py produces `avista_dx/_sync/` from
it (`make unasync`; `make lint` fails when that copy is stale). Edit here, never in `_sync/`."""
