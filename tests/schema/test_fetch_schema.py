"""`make schema`: introspection of the exchange (here the emulator) printed as canonical SDL."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from graphql import build_schema

from scripts import fetch_schema
from scripts.fetch_schema import canonical_sdl

ROOT = Path(__file__).resolve().parents[2]
COMMITTED = ROOT / "schema.graphql"


def test_the_committed_schema_is_in_its_canonical_printing() -> None:
    text = COMMITTED.read_text("utf-8")
    assert canonical_sdl(build_schema(text)) == text


def test_make_schema_against_the_emulator_reproduces_the_committed_file(
    dx_emulator: Any, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("AVISTA_DX_TOKEN", dx_emulator.tokens["reader"])
    output = tmp_path / "schema.graphql"
    assert fetch_schema.main(["--endpoint", dx_emulator.url, "--output", str(output)]) == 0
    assert output.read_bytes() == COMMITTED.read_bytes()


def test_a_rejected_token_is_a_clear_error_that_does_not_show_it(
    dx_emulator: Any,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("AVISTA_DX_TOKEN", "not-a-valid-token-xyz")
    output = tmp_path / "schema.graphql"
    assert fetch_schema.main(["--endpoint", dx_emulator.url, "--output", str(output)]) == 1
    message = capsys.readouterr().err
    assert "HTTP 401: UnauthorizedException" in message
    assert "not-a-valid-token-xyz" not in message
    assert not output.exists()


def test_an_unreachable_endpoint_is_a_clear_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("AVISTA_DX_TOKEN", "token")
    output = tmp_path / "schema.graphql"
    code = fetch_schema.main(["--endpoint", "http://127.0.0.1:9/graphql", "--output", str(output)])
    assert code == 1
    assert "cannot reach http://127.0.0.1:9/graphql" in capsys.readouterr().err


def test_no_token_names_the_variable(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("AVISTA_DX_TOKEN", raising=False)
    assert fetch_schema.main(["--endpoint", "http://127.0.0.1:9/graphql"]) == 2
    assert "AVISTA_DX_TOKEN" in capsys.readouterr().err


SDL = '''
directive @aws_subscribe(mutations: [String]) on FIELD_DEFINITION
directive @tag(name: String!) on FIELD_DEFINITION

"""Kinds of things."""
enum Kind { ZETA ALPHA }

type Query {
  "The things."
  things(second: Int, first: Int): [Thing] @tag(name: "x")
}

type Thing { name: String kind: Kind id: ID! }
'''

REORDERED = '''
type Thing { id: ID! kind: Kind name: String }
directive @tag(name: String!) on FIELD_DEFINITION
type Query {
  "The things."
  things(first: Int, second: Int): [Thing]
}
"""Kinds of things."""
enum Kind { ALPHA ZETA }
'''


def test_the_printing_does_not_depend_on_the_service_order_and_keeps_descriptions() -> None:
    printed = canonical_sdl(build_schema(SDL))
    assert printed == canonical_sdl(build_schema(REORDERED))
    body = printed.removeprefix(fetch_schema.HEADER)
    assert body.index("enum Kind") < body.index("type Query") < body.index("type Thing")
    assert '"""Kinds of things."""' in body
    assert '"""The things."""' in body
    assert "things(first: Int, second: Int)" in body
    assert "ALPHA\n  ZETA" in body


def test_appsync_server_side_directives_are_left_out() -> None:
    printed = canonical_sdl(build_schema(SDL))
    assert "aws_subscribe" not in printed
    assert "directive @tag(name: String!) on FIELD_DEFINITION" in printed
