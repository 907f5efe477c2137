"""RowSpool: rows come back in order, whether kept in memory or spilled to a file."""

from __future__ import annotations

from avista_dx.emulator.timestream.spool import RowSpool


def test_rows_round_trip_through_memory_and_file(tmp_path: object) -> None:
    spool = RowSpool(memory_bytes=20, directory=None)
    rows = [f'{{"Data":[{{"ScalarValue":"{i} é\\n"}}]}}' for i in range(50)]
    spool.append(rows[:1])
    spool.append(rows[1:30])
    assert spool.fetch(5) == rows[:5]
    spool.append(rows[30:])
    assert spool._in_memory <= 20
    assert spool.fetch(100) == rows[5:]
    assert spool.fetch(1) == []
    assert spool.size == sum(map(len, rows))
    spool.close()
