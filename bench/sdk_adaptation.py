"""The cost of turning a generated result model into its documented type, in one process:
the former two passes (generated model → JSON → documented model) vs the one pass the SDK makes
(`DxModel.from_wire`: the documented model validated from the generated model's attributes).

    python -m bench.sdk_adaptation [calls]
"""

from __future__ import annotations

import statistics
import sys
import timeit
from typing import Any

from avista_dx_graphql.collaborative_get_collaborative import CollaborativeGetCollaborative
from avista_dx_graphql.storage_get_data_store import StorageGetDataStore
from pydantic import BaseModel

from avista_dx.types import Collaborative, DataStore, DxModel

from .sdk_client_cost import STORE

ORGANIZATION = {"organizationId": "org.1", "name": "Org", "hostOrganization": True}
USER = {
    "userId": "userId.1",
    "firstName": "Ada",
    "lastName": "L",
    "email": None,
    "mobile": None,
    "lastActive": None,
    "userAccountState": "ACTIVE",
    "userRoles": ["DATA_CONSUMER"],
    "organization": ORGANIZATION,
}
MEMBER = {
    "collaborativeId": "collab.1",
    "memberState": "HOST_ORGANIZATION",
    "organization": ORGANIZATION,
    "usersInCollaborative": [{"permission": "READ_WRITE", "user": USER}] * 5,
}
COLLABORATIVE = {
    "collaborativeId": "collab.1",
    "name": "Shared",
    "description": None,
    "hostOrganizationId": "org.1",
    "memberOrganizations": [MEMBER] * 3,
}


def two_passes(model_type: type[DxModel], generated: BaseModel) -> Any:
    return model_type.model_validate(generated.model_dump(mode="json", by_alias=True))


def interleaved_medians(
    first: Any, second: Any, calls: int, rounds: int = 21
) -> tuple[float, float]:
    """Median µs per call of each, timed in alternating batches so that load hits both alike."""
    a, b = [], []
    for _ in range(rounds):
        a.append(timeit.timeit(first, number=calls) / calls * 1e6)
        b.append(timeit.timeit(second, number=calls) / calls * 1e6)
    return statistics.median(a), statistics.median(b)


def main() -> None:
    calls = int(sys.argv[1]) if len(sys.argv) > 1 else 500
    cases: list[tuple[str, type[DxModel], BaseModel]] = [
        (
            "DataStore",
            DataStore,
            StorageGetDataStore.model_validate(
                {"storage_getDataStore": STORE}
            ).storage_get_data_store,  # type: ignore[arg-type]
        ),
        (
            "Collaborative, 3 organizations x 5 users",
            Collaborative,
            CollaborativeGetCollaborative.model_validate(
                {"collaborative_getCollaborative": COLLABORATIVE}
            ).collaborative_get_collaborative,  # type: ignore[arg-type]
        ),
    ]
    for name, model_type, generated in cases:
        assert model_type.from_wire(generated) == two_passes(model_type, generated)
        before, after = interleaved_medians(
            lambda m=model_type, g=generated: two_passes(m, g),
            lambda m=model_type, g=generated: m.from_wire(g),
            calls,
        )
        print(
            f"adaptation of {name}: two passes {before:.2f} us, one pass {after:.2f} us "
            f"({after / before:.2f}x)"
        )


if __name__ == "__main__":
    main()
