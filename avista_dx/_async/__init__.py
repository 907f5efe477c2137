"""The client, written once: `avista_dx/_async/` is the hand-written source, and
`avista_dx/_sync/` is produced from it by scripts/unasync.py (`make unasync`; `make lint` fails
when `_sync/` is stale). Edit `_async/` only."""
