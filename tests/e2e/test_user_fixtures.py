"""The pytest fixtures users get for their own suites (dx_emulator, dx_reset, dx, async_dx,
dx_as, async_dx_as), run on a user's test files through pytest's `pytester`."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from avista_dx.emulator.seed import DEMO_FILES, DemoIds

pytest_plugins = ["pytester"]


def run(pytester: pytest.Pytester, source: str, *args: str) -> pytest.RunResult:
    pytester.makepyfile(test_user=textwrap.dedent(source))
    return pytester.runpytest("-p", "no:cacheprovider", *args)


def test_each_test_starts_from_the_seed(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def names(dx, ids):
            directory = dx.getDataStoreDirectory(ids.home_directory)
            return sorted(f.fileName for f in directory.files)

        def test_creates_a_file(dx, dx_emulator, tmp_path):
            local = tmp_path / "scratch.txt"
            local.write_text("made by the first test")
            dx.uploadFileToDataStore(
                dx_emulator.ids.data_store, dx_emulator.ids.home_directory, local
            )
            assert "scratch.txt" in names(dx, dx_emulator.ids)

        def test_does_not_see_it(dx, dx_emulator):
            assert names(dx, dx_emulator.ids) == ["README.md", "archive.tar.gz"]

        def test_same_emulator_and_tokens(dx_emulator, dx_reset):
            assert dx_reset is dx_emulator
            assert dx_emulator.tokens["owner"] == "dx-demo-owner-token"
        """,
    )
    result.assert_outcomes(passed=3)


def test_other_roles_are_one_call_away(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import pytest
        from avista_dx import AuthenticationError, DxError

        def test_roles(dx, dx_as, dx_emulator):
            assert dx.getUserInfo().firstName == "Olivia"
            reader = dx_as("reader")
            assert reader.getUserInfo().firstName == "Rita"
            assert reader.getUserInfo().userId == dx_emulator.ids.users["reader"]
            readme = dx_emulator.ids.files["README.md"]
            assert reader.getDataStoreFileMeta(readme).fileName == "README.md"
            with pytest.raises(DxError):
                dx_as("outsider").getDataStoreFileMeta(readme)

        def test_unknown_role(dx_as):
            with pytest.raises(ValueError, match="unknown role 'nobody'.*reader"):
                dx_as("nobody")

        def test_client_options(dx_as):
            with pytest.raises(AuthenticationError):
                dx_as("owner", token="not-a-demo-token").getUserInfo()
        """,
    )
    result.assert_outcomes(passed=3)


def test_async_clients_under_anyio_and_asyncio(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        import asyncio
        import pytest

        @pytest.mark.anyio
        async def test_anyio(async_dx, async_dx_as):
            stores = await async_dx.listDataStores()
            assert [s.name for s in stores] == ["Demo data store"]
            assert (await async_dx_as("writer").getUserInfo()).firstName == "Walter"

        def test_asyncio_run(async_dx, dx_emulator):
            store = asyncio.run(async_dx.getDataStore(dx_emulator.ids.data_store))
            assert store.name == "Demo data store"
        """,
    )
    result.assert_outcomes(passed=2)


def test_missing_emulator_extra_is_one_clear_line(pytester: pytest.Pytester) -> None:
    pytester.makeconftest(
        """
        import sys
        sys.modules["uvicorn"] = None  # `import uvicorn` now fails as if it were not installed
        """
    )
    pytester.makepyfile(test_user="def test_uses_it(dx):\n    pass\n")
    result = pytester.runpytest_subprocess("-p", "no:cacheprovider")
    result.assert_outcomes(errors=1)
    expected = (
        "the avista-dx emulator fixtures need the `emulator` extra (uvicorn is not installed): "
        'pip install "avista-dx[emulator]"'
    )
    assert expected in result.stdout.lines
    for noise in ("Traceback", "ModuleNotFoundError", "halted", "During handling"):
        assert noise not in result.stdout.str()


def test_demo_ids_are_typed_and_complete(dx_emulator: object) -> None:
    from avista_dx.emulator import EmulatorHandle

    assert isinstance(dx_emulator, EmulatorHandle)
    ids = dx_emulator.ids
    assert isinstance(ids, DemoIds)
    assert set(ids.files) == set(DEMO_FILES)
    assert set(ids.users) == set(dx_emulator.tokens)
    with pytest.raises(TypeError):
        ids.users["owner"] = "changed"  # type: ignore[index]
    assert dx_emulator.seed is not None
    assert ids == DemoIds.of(dx_emulator.seed.ids)  # no reset in this session's emulator
    with pytest.raises(ValueError, match="demo seed"):
        DemoIds.of({"organization": "o", "admin": "a"})  # the admin seed's


def test_ids_follow_a_reset(pytester: pytest.Pytester) -> None:
    result = run(
        pytester,
        """
        def test_new_ids_after_a_reset(dx_emulator, dx):
            before = dx_emulator.ids
            dx_emulator.reset()
            after = dx_emulator.ids
            assert after.data_store != before.data_store
            assert dx.getDataStore(after.data_store).name == "Demo data store"
        """,
    )
    result.assert_outcomes(passed=1)


def test_the_readme_example_runs(pytester: pytest.Pytester) -> None:
    readme = (Path(__file__).parents[2] / "README.md").read_text()
    section = readme.split("### Testing your code with the emulator", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    pytester.makepyfile(test_user=example)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=1)


def test_the_documented_examples_run(pytester: pytest.Pytester) -> None:
    guide = (Path(__file__).parents[2] / "docs" / "emulator.md").read_text()
    section = guide.split("## Testing your code: the pytest fixtures", 1)[1]
    example = section.split("```python\n", 1)[1].split("```", 1)[0]
    pytester.makepyfile(test_user="import pytest\n\n" + example)
    pytester.runpytest("-p", "no:cacheprovider").assert_outcomes(passed=3)
