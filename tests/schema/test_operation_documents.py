"""`OPERATION_DOCUMENTS` (scripts/codegen_plugins.py): every operation of queries/, with the very
document its generated method sends, in both generated clients."""

from __future__ import annotations

import inspect
from pathlib import Path

from avista_dx_graphql import async_client, client
from graphql import OperationDefinitionNode, parse

QUERIES = Path(__file__).resolve().parents[2] / "queries"


def test_every_operation_of_queries_has_its_document() -> None:
    names = {
        node.name.value
        for path in QUERIES.glob("*.graphql")
        for node in parse(path.read_text()).definitions
        if isinstance(node, OperationDefinitionNode) and node.name is not None
    }
    assert set(client.OPERATION_DOCUMENTS) == names
    assert client.OPERATION_DOCUMENTS == async_client.OPERATION_DOCUMENTS


def test_the_document_is_the_one_the_method_sends() -> None:
    source = inspect.getsource(client.Client.time_series_db_publish_to_database)
    document = client.OPERATION_DOCUMENTS["timeSeriesDb_publishToDatabase"]
    assert f'gql("""{document}""")' in source
