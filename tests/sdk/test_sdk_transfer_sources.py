"""What uploads read and downloads write, without a network: bytes, file objects, paths,
content types, the download target rules and the sinks' modes and rewinds."""

from __future__ import annotations

import io
import os
import stat
from pathlib import Path
from typing import Any

import pytest

from avista_dx import DownloadError, InvalidInputError, LocalFileNotFoundError
from avista_dx._download_sinks import FileSink, StreamSink
from avista_dx._transfers import UploadBody, download_destination, download_failure, plan_upload
from avista_dx._upload_sources import guessed_content_type


def body_of(plan_source: object, name: str | None = None) -> bytes:
    plan = plan_upload(plan_source, name)
    return b"".join(UploadBody(plan, None).sync_chunks())


def test_bytes_need_a_name_and_upload_as_they_are() -> None:
    with pytest.raises(InvalidInputError, match="name is needed"):
        plan_upload(b"abc", None)
    plan = plan_upload(bytearray(b"abc"), "a.csv")
    assert (plan.name, plan.extension, plan.size, plan.content_type) == ("a", "csv", 3, "text/csv")
    assert body_of(memoryview(b"abc"), "x") == b"abc"


def test_a_file_object_is_read_from_its_position_again_on_each_attempt() -> None:
    stream = io.BytesIO(b"headerPAYLOAD")
    stream.seek(6)
    plan = plan_upload(stream, "p.bin")
    assert plan.size == 7
    body = UploadBody(plan, None)
    assert b"".join(body.sync_chunks()) == b"PAYLOAD"
    assert b"".join(body.sync_chunks()) == b"PAYLOAD"  # a retry starts again
    assert not stream.closed


def test_a_stream_that_cannot_seek_is_spooled_first() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"piped bytes")
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:
        assert body_of(pipe, "p.txt") == b"piped bytes"


def test_a_named_file_object_gives_its_name_and_text_mode_is_refused(tmp_path: Path) -> None:
    local = tmp_path / "named.json"
    local.write_bytes(b"{}")
    with local.open("rb") as handle:
        assert plan_upload(handle, None).content_type == "application/json"
    with local.open("r") as text, pytest.raises(InvalidInputError, match="binary"):
        plan_upload(text, None)
    with pytest.raises(LocalFileNotFoundError):
        plan_upload(tmp_path / "missing.txt", None)
    with pytest.raises(InvalidInputError):
        plan_upload(42, "x")


class GivesText(io.RawIOBase):
    """A binary-looking stream (no mode, not TextIOBase) whose reads give `str`."""

    def readable(self) -> bool:
        return True

    def read(self, size: int = -1) -> Any:
        return "text"


def test_closed_and_text_giving_file_objects_are_refused() -> None:
    closed = io.BytesIO(b"gone")
    closed.close()
    with pytest.raises(InvalidInputError, match="closed"):
        plan_upload(closed, "a.txt")
    with pytest.raises(InvalidInputError, match="cannot read"):
        plan_upload(GivesText(), "a.txt")  # cannot seek: copied, and refused there


def test_a_missing_name_is_refused_before_a_stream_is_read() -> None:
    read_end, write_end = os.pipe()
    os.write(write_end, b"once")
    os.close(write_end)
    with os.fdopen(read_end, "rb") as pipe:  # its `name` is the descriptor, no file name
        for bad in ((None, None), ("x", "not-a-type")):
            with pytest.raises(InvalidInputError):
                plan_upload(pipe, *bad)
        assert pipe.read() == b"once"


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        ("a.csv", "text/csv"),
        ("report.json", "application/json"),
        ("archive.tar.gz", "application/gzip"),
        ("big.bin", None),  # application/octet-stream says nothing more than S3's default
        ("Makefile", None),
    ],
)
def test_content_types_are_guessed_from_the_name(name: str, expected: str | None) -> None:
    assert guessed_content_type(name) == expected


@pytest.mark.parametrize("bad", ["text", "text/plain\r\nX-Evil: 1", "", 3])
def test_a_bad_content_type_is_refused(bad: object) -> None:
    with pytest.raises(InvalidInputError):
        plan_upload(b"x", "x.txt", bad)


def test_the_headers_carry_the_length_and_the_content_type() -> None:
    assert UploadBody(plan_upload(b"xy", "a.csv"), None).headers == {
        "Content-Length": "2",
        "Content-Type": "text/csv",
    }
    assert UploadBody(plan_upload(b"xy", "a", "image/png"), None).headers["Content-Type"] == (
        "image/png"
    )
    assert "Content-Type" not in UploadBody(plan_upload(b"xy", "a.bin"), None).headers


def test_a_trailing_separator_names_a_directory_created_on_demand(tmp_path: Path) -> None:
    target = download_destination(str(tmp_path / "downloads") + "/", "report.csv")
    assert target == tmp_path / "downloads" / "report.csv"
    assert (tmp_path / "downloads").is_dir()
    assert download_destination(tmp_path / "file.csv", "report.csv") == tmp_path / "file.csv"
    stream = io.BytesIO()
    assert download_destination(stream, "report.csv") is stream
    with pytest.raises(InvalidInputError, match="binary"):
        download_destination(io.StringIO(), "report.csv")


def test_a_downloaded_file_gets_the_umask_mode(tmp_path: Path) -> None:
    previous = os.umask(0o022)
    try:
        sink = FileSink(tmp_path / "out.txt", 2, None)
        sink.open(None)
        sink.write(b"ok")
        sink.commit()
    finally:
        os.umask(previous)
    assert stat.S_IMODE((tmp_path / "out.txt").stat().st_mode) == 0o644
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_a_stream_sink_undoes_a_failed_try_when_it_can_seek() -> None:
    stream = io.BytesIO(b"kept:")
    stream.seek(5)
    sink = StreamSink(stream, 4, None)
    sink.open(None)
    sink.write(b"par")
    failure = download_failure(DownloadError("cut", transient=True), sink, "download")
    assert isinstance(failure, DownloadError)
    assert failure.transient
    assert stream.getvalue() == b"kept:"
    sink.open(None)
    sink.write(b"full")
    sink.commit()
    assert stream.getvalue() == b"kept:full"


class _Unseekable(io.RawIOBase):
    def __init__(self) -> None:
        self.data = bytearray()

    def writable(self) -> bool:
        return True

    def write(self, chunk: object) -> int:
        self.data += chunk  # type: ignore[operator]
        return len(chunk)  # type: ignore[arg-type]


def test_a_stream_that_cannot_seek_is_not_retried_once_written() -> None:
    sink = StreamSink(_Unseekable(), 4, None)  # type: ignore[arg-type]
    sink.open(None)
    sink.write(b"pa")
    failure = download_failure(DownloadError("cut", transient=True), sink, "download")
    assert isinstance(failure, DownloadError)
    assert failure.transient is False
    short = StreamSink(io.BytesIO(), 4, None)
    short.open(None)
    short.write(b"abc")
    with pytest.raises(DownloadError, match="received 3 bytes, expected 4"):
        short.commit()
