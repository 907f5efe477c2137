"""`AsyncAPIResource`: the base of the namespaces (`dx.dataStores`, ...), as Stainless's."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, TypeVar

if TYPE_CHECKING:
    from .. import _operations as ops
    from ._api_client import AsyncAPIClient

T = TypeVar("T")


class AsyncResourceHost(Protocol):
    """What a namespace method may use of the object it runs on: `_execute` (one GraphQL
    operation, retried as its `Call` allows) and `_client` (transfers, other namespaces).

    Both a namespace and the client itself provide them, so a method annotated
    `self: AsyncResourceHost` may also stand at the client's root, as the documented 0.0.19
    methods do (`listDataStores = AsyncDataStores.listDataStores`).
    """

    async def _execute(self, call: ops.Call[T]) -> T: ...

    @property
    def _client(self) -> AsyncAPIClient: ...


class AsyncAPIResource:
    """A namespace: it takes its client's executor once, when the client builds it."""

    def __init__(self, client: AsyncAPIClient) -> None:
        self._client = client
        self._execute = client._execute
