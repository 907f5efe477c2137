"""The console and GraphiQL in headless Chromium: what a user clicks through.

One browser per session (``browser`` in conftest), a fresh context per test; any request
leaving the emulator, or any JavaScript error, fails the test.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

import httpx

from avista_dx.emulator.runner import EmulatorHandle
from avista_dx.emulator.seed import DEMO_FILES

TIMEOUT_MS = 15_000


def sign_in(page: Any, role: str = "owner") -> None:
    page.goto("/_emulator/console")
    page.click(f"button.demo[data-role={role}]", timeout=TIMEOUT_MS)
    page.wait_for_selector("nav .who", timeout=TIMEOUT_MS)


def download(page: Any, row: Any) -> tuple[str, bytes]:
    with page.expect_download(timeout=TIMEOUT_MS) as info:
        row.get_by_role("button", name="Download").click()
    saved = info.value
    return saved.suggested_filename, Path(saved.path()).read_bytes()


def test_sign_in_browse_a_store_download_upload_and_delete(
    page: Any, emulator: EmulatorHandle, tmp_path: Path
) -> None:
    sign_in(page)
    assert "Olivia Owner" in page.inner_text("nav .who")
    page.click("table.stores >> text=Demo data store")
    listing = page.wait_for_selector("table.listing", timeout=TIMEOUT_MS)
    assert "readings/" in listing.inner_text()

    readme = page.locator("table.listing tr", has_text="README.md")
    assert download(page, readme) == ("README.md", DEMO_FILES["README.md"])

    page.click("table.listing >> text=readings/")
    page.click("table.listing >> text=2024/")
    january = page.locator("table.listing tr", has_text="january.csv")
    assert download(page, january)[1] == DEMO_FILES["readings/2024/january.csv"]

    upload = tmp_path / "notes.v2.txt"
    upload.write_bytes(b"uploaded from the browser\n")
    page.set_input_files("#upload", str(upload))
    page.get_by_role("button", name="Upload", exact=True).click()
    uploaded = page.locator("table.listing tr", has_text="notes.v2.txt")
    uploaded.wait_for(timeout=TIMEOUT_MS)
    assert "text/plain" in uploaded.inner_text()
    assert download(page, uploaded) == ("notes.v2.txt", upload.read_bytes())

    page.once("dialog", lambda dialog: dialog.accept())
    uploaded.get_by_role("button", name="Delete").click()
    uploaded.wait_for(state="detached", timeout=TIMEOUT_MS)
    january.wait_for(timeout=TIMEOUT_MS)  # the listing is drawn again, without the upload
    assert page.locator("table.listing tr", has_text="notes.v2.txt").count() == 0


def test_a_reader_finds_the_shared_store_and_iot_degrades_gracefully(page: Any) -> None:
    sign_in(page, "reader")
    row = page.locator("table.stores tr", has_text="Demo data store")
    row.wait_for(timeout=TIMEOUT_MS)
    assert "shared in Demo collaborative" in row.inner_text()
    page.click("nav >> text=IoT")
    # Served: a table of hubs or a sentence; not served yet: a notice naming the field. Never
    # an error box.
    page.wait_for_selector(".content h2 + :is(table, p, .notice)", timeout=TIMEOUT_MS)
    assert page.locator(".content .error").count() == 0


def test_sql_query_shows_table_chart_and_exports_csv(page: Any) -> None:
    sign_in(page)
    page.click("nav >> text=Time-series databases")
    page.click("table.databases >> text=Demo meters")
    page.click("#run-sql", timeout=TIMEOUT_MS)
    page.wait_for_selector("table.result-table", timeout=TIMEOUT_MS)
    assert page.locator("table.result-table tbody tr").count() == 24
    headers = page.locator("table.result-table th").all_inner_texts()
    assert headers == [
        "time (TIMESTAMP)",
        "measure_name (VARCHAR)",
        "measure_value::double (DOUBLE)",
    ]
    points = page.get_attribute(".chart polyline", "points")
    assert points is not None
    assert len(points.split()) == 24
    assert page.text_content(".chart text.legend") == "measure_value::double"

    with page.expect_download(timeout=TIMEOUT_MS) as info:
        page.get_by_role("button", name="Export CSV").click()
    lines = Path(info.value.path()).read_text("utf-8").splitlines()
    assert lines[0] == "time,measure_name,measure_value::double"
    assert len(lines) == 25
    assert lines[1].endswith(",kwh,1.0")

    page.fill("#sql", "SELECT nonsense FROM nowhere")
    page.click("#run-sql")
    assert "ValidationException" in page.inner_text(".results .error", timeout=TIMEOUT_MS)


GRAPHIQL_RESULT = ".graphiql-response"
SUBSCRIPTION = (
    'subscription Live($d: ID!) { onTimeSeriesDbPublish(timeSeriesDbId: $d, assetId: "meter-9")'
    " { assetId attributes { name lastValue } } }"
)
PUBLISH = (
    "mutation($d: ID!, $x: TimeSeriesDbDataInput!) {"
    ' timeSeriesDb_publishToDatabase(timeSeriesDbId: $d, assetId: "meter-9", data: $x)'
    " { assetId } }"
)


def set_editor(page: Any, editor: str, text: str) -> None:
    """GraphiQL 3's editors are CodeMirror 5 instances."""
    page.evaluate(
        "([selector, text]) => document.querySelector(selector).CodeMirror.setValue(text)",
        [f"{editor} .CodeMirror", text],
    )


def publish_until(page: Any, emulator: EmulatorHandle, database_id: str, expected: str) -> None:
    """Publishes a record every half second until GraphiQL shows the event (the subscription
    starts asynchronously after the click)."""
    deadline = time.monotonic() + TIMEOUT_MS / 1000
    for version in range(1, 1000):
        record = {
            "Time": str(int(time.time() * 1000) + version),
            "TimeUnit": "MILLISECONDS",
            "MeasureName": "kwh",
            "MeasureValueType": "DOUBLE",
            "MeasureValue": expected,
            "Version": 1,
        }
        body = httpx.post(
            emulator.url,
            json={"query": PUBLISH, "variables": {"d": database_id, "x": {"records": [record]}}},
            headers={"Authorization": emulator.tokens["owner"]},
        ).json()
        assert "errors" not in body, body
        page.wait_for_timeout(500)
        result = page.inner_text(GRAPHIQL_RESULT)
        if expected in result:
            return
        if "Unknown operation named" in result:
            # GraphiQL updates the operation name from the editor after a debounce; a click that
            # beat it sent the previous query's name. A person clicking again does the same.
            page.click(".graphiql-execute-button")
        assert time.monotonic() < deadline, page.inner_text(GRAPHIQL_RESULT)


def test_graphiql_runs_a_query_and_a_subscription(page: Any, emulator: EmulatorHandle) -> None:
    sign_in(page)  # GraphiQL takes the console's token as its Authorization header
    page.goto("/graphql")
    page.wait_for_selector(".graphiql-container", timeout=TIMEOUT_MS)
    assert emulator.tokens["owner"] in page.inner_text(".graphiql-editor-tool")
    page.click(".graphiql-execute-button")
    page.wait_for_function(
        f"document.querySelector('{GRAPHIQL_RESULT}').innerText.includes('Olivia')",
        timeout=TIMEOUT_MS,
    )

    assert emulator.seed is not None
    database_id = emulator.seed.ids["timeSeriesDb"]
    set_editor(page, ".graphiql-query-editor", SUBSCRIPTION)
    page.click(".graphiql-editor-tools button:has-text('Variables')")
    set_editor(page, ".graphiql-editor-tool", f'{{"d": "{database_id}"}}')
    page.click(".graphiql-execute-button")
    publish_until(page, emulator, database_id, "7.25")
    assert "meter-9" in page.inner_text(GRAPHIQL_RESULT)


def test_result_helpers_quote_csv_and_read_nested_values(page: Any) -> None:
    """results.js, run in the browser: RFC 4180 quoting, nested Datums, timestamps, series."""
    page.goto("/_emulator/console")
    outcome = page.evaluate(
        """async () => {
        const results = await import("/_emulator/console/static/results.js");
        const pages = [{
          ColumnInfo: [
            { Name: "time", Type: { ScalarType: "TIMESTAMP" } },
            { Name: "note", Type: { ScalarType: "VARCHAR" } },
            { Name: "v", Type: { ScalarType: "BIGINT" } },
            { Name: "list", Type: { ArrayColumnInfo: { Type: { ScalarType: "INTEGER" } } } },
          ],
          Rows: [
            { Data: [
              { ScalarValue: "2024-01-01 00:00:00.123456789" },
              { ScalarValue: 'a "b", c' },
              { ScalarValue: "7" },
              { ArrayValue: [{ ScalarValue: "1" }, { NullValue: true }] },
            ] },
            { Data: [{ NullValue: true }, { ScalarValue: "line\\nbreak" }, { NullValue: true },
                     { RowValue: { Data: [{ ScalarValue: "x" }] } }] },
          ],
        }, { Rows: [] }];
        const table = results.tableOf(pages);
        return { csv: results.toCsv(table), series: results.chartSeries(table),
                 types: table.columns.map((column) => column.type) };
      }"""
    )
    assert outcome["csv"] == (
        "time,note,v,list\r\n"
        '2024-01-01 00:00:00.123456789,"a ""b"", c",7,"[1, ]"\r\n'
        ',"line\nbreak",,(x)\r\n'
    )
    assert outcome["types"] == ["TIMESTAMP", "VARCHAR", "BIGINT", "ArrayColumnInfo"]
    assert outcome["series"] == [{"name": "v", "points": [[1704067200123, 7]]}]
