"""``Emulator.reset``: each backend clears itself; the seed works on a small protocol."""

from __future__ import annotations

import ast
from pathlib import Path

import avista_dx.emulator.seed as seed_module
from avista_dx.emulator import EmulatorConfig, build_emulator
from avista_dx.emulator.persistence.models import SettingRecord, TimeSeriesDbRecord
from avista_dx.emulator.seed import DemoSeed, apply_seed
from avista_dx.emulator.timestream import TimestreamEngine


def test_the_engine_resets_to_no_tables() -> None:
    with TimestreamEngine(None, commit_delay=0) as engine:
        engine.create_table("db_one", "table_one")
        engine.create_table("db_two", "table_two")
        engine.reset()
        assert not engine.table_exists("db_one", "table_one")
        assert not engine.table_exists("db_two", "table_two")
        engine.create_table("db_one", "table_one")  # the names are free again
        assert engine.table_exists("db_one", "table_one")


def test_reset_clears_every_backend_and_keeps_the_signing_key(tmp_path: Path) -> None:
    emulator = build_emulator(EmulatorConfig(data_dir=tmp_path, seed="demo"))
    try:
        seed = apply_seed(emulator, "demo")
        assert isinstance(seed, DemoSeed)
        owner = emulator.services.users.authenticate(seed.tokens["owner"])
        extra = emulator.services.time_series.create_database(owner, "Scratch")
        with emulator.metadata.view() as view:
            signing_key = view.get(SettingRecord, "presigned_url_signing_key")
            scratch = view.get(TimeSeriesDbRecord, extra["timeSeriesDbId"])
        assert scratch is not None
        blobs_before = set(emulator.blobs.keys())

        emulator.reset()

        with emulator.metadata.view() as view:
            assert view.get(SettingRecord, "presigned_url_signing_key") == signing_key
            assert view.get(TimeSeriesDbRecord, extra["timeSeriesDbId"]) is None
            databases = view.find(TimeSeriesDbRecord)
        assert [d.name for d in databases] == ["Demo meters"]  # the seed's, re-created
        assert not emulator.engine.table_exists(scratch.database_name, scratch.table_name)
        assert emulator.engine.table_exists(databases[0].database_name, databases[0].table_name)
        assert blobs_before.isdisjoint(emulator.blobs.keys())  # the seed's files are new ones
        assert len(emulator.blobs.keys()) == len(blobs_before)
        emulator.services.users.authenticate(seed.tokens["owner"])  # the fixed tokens work
    finally:
        emulator.close()


def test_the_seed_does_not_import_the_composition_root() -> None:
    tree = ast.parse(Path(seed_module.__file__).read_text())
    imported = {
        node.module for node in ast.walk(tree) if isinstance(node, ast.ImportFrom) and node.module
    }
    assert "app" not in imported
