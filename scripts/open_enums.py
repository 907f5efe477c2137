"""Open enums for the generated result models; copied into the generated package by
`make codegen` (files_to_include), used by the annotations scripts/codegen_plugins.py writes.

`OpenEnum[ServiceType]` is `ServiceType | str` for type checkers. A known value becomes the
enum member as before; a value this SDK does not know (a newer exchange added it) stays its
string, with one debug line on the `avista_dx` logger, instead of failing the whole response.
Anything that is not a string still fails validation.
"""

from __future__ import annotations

import logging
from enum import Enum
from typing import Annotated, Any, TypeVar, get_args

from pydantic import GetCoreSchemaHandler
from pydantic_core import CoreSchema, core_schema

__all__ = ["OpenEnum"]

# A child of the SDK's logger, so that `debug=True` (or AVISTA_DX_LOG=debug) shows the line.
logger = logging.getLogger("avista_dx.open_enums")

_E = TypeVar("_E", bound=Enum)


class _KnownMemberOrString:
    """Pydantic metadata: turns a known value into its member before `Union[Enum, str]`."""

    def __get_pydantic_core_schema__(
        self, source: Any, handler: GetCoreSchemaHandler
    ) -> CoreSchema:
        (enum_type,) = (
            arg for arg in get_args(source) if isinstance(arg, type) and issubclass(arg, Enum)
        )
        known = {member.value: member for member in enum_type}

        def to_member(value: Any) -> Any:
            if type(value) is not str:  # a member already, or not a string: the union decides
                return value
            member = known.get(value)
            if member is None:
                logger.debug(
                    "%s value %r is unknown to this SDK: kept as a string",
                    enum_type.__name__,
                    value,
                )
                return value
            return member

        return core_schema.no_info_before_validator_function(to_member, handler(source))


OpenEnum = Annotated[_E | str, _KnownMemberOrString()]
