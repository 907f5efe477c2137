"""`dx.dataCapture`'s operations beyond 1.2.1's four (those are in `_data_capture`): captures,
data models, attachments, data exports, the capture's token and the Python sample, and the
capture subscriptions. Same pattern as `_operations` (every mutation: unsent requests only).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any, Final, cast

from avista_dx_graphql.base_model import UNSET
from avista_dx_graphql.enums import (
    DataCaptureAssetAttributeSchemaType,
    DataCaptureAssetAttributeType,
    DataCaptureTimeConfigType,
    DataCaptureType,
)

from ._operations import Call, _convert, _many, _one, _root
from ._ops_arguments import choice, omitted, optional_flag, optional_token
from ._retry import RetrySafety
from ._subscriptions import SubscriptionCall, _event
from ._validation import optional_text, require_id, require_text, shown, whole_number
from .errors import InvalidInputError, InvalidResponseError, NotFoundError
from .types_data_capture import (
    AuthenticationToken,
    DataCapture,
    DataCaptureAttachment,
    DataCaptureDataExport,
    DataCaptureDataModel,
    DataCaptureDataModelExport,
    DataCaptureDataModelInput,
)

CAPTURE_TYPES: Final = tuple(kind.value for kind in DataCaptureType)
TIME_CONFIG_TYPES: Final = tuple(kind.value for kind in DataCaptureTimeConfigType)
SCHEMA_TYPES: Final = tuple(kind.value for kind in DataCaptureAssetAttributeSchemaType)
ATTRIBUTE_TYPES: Final = tuple(kind.value for kind in DataCaptureAssetAttributeType)
# What `updateCapture(clear=...)` may set to null (the display name is required).
CLEARABLE: Final = ("description", "scheduledStartTime", "scheduledStopTime")
# A repeat of a create makes a second capture (or attachment); of an update, delete or token
# regeneration that did happen, it reports an error or does the work twice: only unsent ones.
WRITE = RetrySafety.UNSENT_ONLY

_CAPTURE = (
    "captureId captureType displayName description ownerUserId state dateCreated dateUpdated"
    " timeSettings { actualStartTime actualStopTime scheduledStartTime scheduledStopTime"
    " startTimeType stopTimeType errors state }"
    " stateHistory { dateCreated message newState }"
)


def _capture_subscription(root: str) -> str:
    """The document of a subscription whose events are captures (as `getCapture` selects)."""
    return (
        f"subscription {root}($captureId: ID!) {{ {root}(captureId: $captureId) {{ {_CAPTURE} }} }}"
    )


ON_START_CAPTURE: Final = _capture_subscription("onStartCapture")
ON_STOP_CAPTURE: Final = _capture_subscription("onStopCapture")
ON_NOTIFY_CAPTURE_COMPLETE: Final = _capture_subscription("onNotifyCaptureComplete")


# -- captures ---------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class CapturePage:
    captures: list[DataCapture]
    next_token: str | None


def create_capture(
    display_name: str, capture_type: str, description: str | None
) -> Call[DataCapture]:
    op = "dataCapture_createCapture"
    display_name = require_text("displayName", display_name)
    kind = DataCaptureType(choice("captureType", capture_type, CAPTURE_TYPES))
    description = optional_text("description", description, allow_empty=True)
    return Call(
        op,
        lambda client, options: client.data_capture_create_capture(
            kind, display_name, omitted(description), **options
        ),
        _one(DataCapture, op, "capture"),
        WRITE,
    )


def get_capture(capture_id: str, include_data_model: bool | None) -> Call[DataCapture]:
    op = "dataCapture_getCapture"
    capture_id = require_id("captureId", capture_id)
    include = optional_flag("includeDataModel", include_data_model)
    return Call(
        op,
        lambda client, options: client.data_capture_get_capture(
            capture_id, omitted(include), **options
        ),
        _one(DataCapture, op, f"capture {capture_id!r}"),
    )


def list_captures(include_data_models: bool | None, next_token: str | None) -> Call[CapturePage]:
    op = "dataCapture_listCaptures"
    include = optional_flag("includeDataModels", include_data_models)
    next_token = optional_token("nextToken", next_token)

    def adapt(result: Any) -> CapturePage:
        page = _root(result, "data_capture_list_captures", op, "capture list")
        captures = [_convert(DataCapture, item) for item in page.captures or [] if item]
        return CapturePage(captures, page.next_token or None)

    return Call(
        op,
        lambda client, options: client.data_capture_list_captures(
            include_data_models=omitted(include), next_token=omitted(next_token), **options
        ),
        adapt,
    )


def _time(argument: str, value: Any) -> str:
    """A scheduled time: an ISO-8601 string with a zone, or an aware datetime."""
    if isinstance(value, dt.datetime):
        if value.tzinfo is None:
            raise InvalidInputError(f"{argument} must be timezone-aware")
        moment = value.astimezone(dt.timezone.utc)
        return moment.strftime("%Y-%m-%dT%H:%M:%S.") + f"{moment.microsecond // 1000:03d}Z"
    text = require_text(argument, value)
    try:
        parsed = dt.datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError:
        raise InvalidInputError(f"{argument} is not an ISO-8601 time: {shown(value)}") from None
    if parsed.tzinfo is None:
        raise InvalidInputError(f"{argument} needs a time zone (e.g. Z): {shown(value)}")
    return text.strip()


def _clear(clear: Any) -> frozenset[str]:
    """`updateCapture`'s `clear=`: one name or an iterable of names from CLEARABLE."""
    names = (clear,) if isinstance(clear, str) else clear
    try:
        items = list(names)
    except TypeError:
        raise InvalidInputError(f"clear= must be a list of names; got {shown(clear)}") from None
    unknown = [item for item in items if not isinstance(item, str) or item not in CLEARABLE]
    if unknown:
        raise InvalidInputError(
            f"clear= takes {', '.join(CLEARABLE)}; got {', '.join(map(shown, unknown))}"
        )
    return frozenset(items)


def update_capture(
    capture_id: str,
    changes: Mapping[str, Any],
    clear: Iterable[str],
) -> Call[DataCapture]:
    """`changes`: the arguments given (None = keep); `clear`: the ones to set to null."""
    op = "dataCapture_updateCapture"
    capture_id = require_id("captureId", capture_id)
    cleared = _clear(clear)
    values: dict[str, Any] = {}
    for argument, value in changes.items():
        if value is None:
            continue
        if argument in cleared:
            raise InvalidInputError(f"{argument} is both given and cleared")
        if argument in ("startTimeType", "stopTimeType"):
            values[argument] = DataCaptureTimeConfigType(choice(argument, value, TIME_CONFIG_TYPES))
        elif argument in ("scheduledStartTime", "scheduledStopTime"):
            values[argument] = _time(argument, value)
        else:
            values[argument] = require_text(argument, value, allow_empty=argument != "displayName")
    values.update(dict.fromkeys(cleared))
    if not values:
        raise InvalidInputError(f"{op}: give at least one of {', '.join(changes)} or clear=")

    def flag(argument: str) -> bool:
        return argument in values

    return Call(
        op,
        lambda client, options: client.data_capture_update_capture(
            capture_id,
            update_display_name=flag("displayName"),
            update_description=flag("description"),
            update_start_time_type=flag("startTimeType"),
            update_scheduled_start_time=flag("scheduledStartTime"),
            update_stop_time_type=flag("stopTimeType"),
            update_scheduled_stop_time=flag("scheduledStopTime"),
            display_name=values.get("displayName", UNSET),
            description=values.get("description", UNSET),
            start_time_type=values.get("startTimeType", UNSET),
            scheduled_start_time=values.get("scheduledStartTime", UNSET),
            stop_time_type=values.get("stopTimeType", UNSET),
            scheduled_stop_time=values.get("scheduledStopTime", UNSET),
            **options,
        ),
        _one(DataCapture, op, f"capture {capture_id!r}"),
        WRITE,
    )


def delete_capture(capture_id: str) -> Call[DataCapture]:
    op = "dataCapture_deleteCapture"
    capture_id = require_id("captureId", capture_id)
    return Call(
        op,
        lambda client, options: client.data_capture_delete_capture(capture_id, **options),
        _one(DataCapture, op, f"capture {capture_id!r}"),
        WRITE,
    )


# -- data models ------------------------------------------------------------------------------


def get_data_model(capture_id: str) -> Call[DataCaptureDataModel]:
    op = "dataCapture_getDataModel"
    capture_id = require_id("captureId", capture_id)
    return Call(
        op,
        lambda client, options: client.data_capture_get_data_model(capture_id, **options),
        _one(DataCaptureDataModel, op, "data model"),
    )


def data_model_input(data_model: Any) -> dict[str, Any]:
    """The wire form of `updateDataModel`'s model; the caller's objects are only read."""
    if isinstance(data_model, DataCaptureDataModelInput):
        model = data_model
    elif isinstance(data_model, Mapping):
        try:
            model = DataCaptureDataModelInput.model_validate(dict(data_model))
        except ValueError as exc:
            raise InvalidInputError(f"dataModel is not a DataCaptureDataModelInput: {exc}") from exc
    else:
        raise InvalidInputError(
            f"dataModel must be a DataCaptureDataModelInput or a dict with 'assets'; "
            f"got {shown(data_model)}"
        )
    for index, asset in enumerate(model.assets):
        require_id(f"assets[{index}].userDefinedId", asset.userDefinedId)
        require_text(f"assets[{index}].displayName", asset.displayName)
        for position, attribute in enumerate(asset.attributes):
            what = f"assets[{index}].attributes[{position}]"
            require_id(f"{what}.userDefinedId", attribute.userDefinedId)
            require_text(f"{what}.displayName", attribute.displayName)
            choice(f"{what}.schemaType", attribute.schemaType, SCHEMA_TYPES)
            choice(f"{what}.attributeType", attribute.attributeType, ATTRIBUTE_TYPES)
    return model.model_dump(exclude_none=True)


def update_data_model(capture_id: str, data_model: Any) -> Call[DataCaptureDataModel]:
    op = "dataCapture_updateDataModel"
    capture_id = require_id("captureId", capture_id)
    wire = data_model_input(data_model)
    return Call(
        op,
        lambda client, options: client.data_capture_update_data_model(
            capture_id, cast("Any", wire), **options
        ),
        _one(DataCaptureDataModel, op, "data model"),
        WRITE,
    )


def get_data_model_export(capture_id: str) -> Call[DataCaptureDataModelExport]:
    op = "dataCapture_getDataModelExport"
    capture_id = require_id("captureId", capture_id)
    return Call(
        op,
        lambda client, options: client.data_capture_get_data_model_export(capture_id, **options),
        _one(DataCaptureDataModelExport, op, "export"),
    )


# -- attachments ------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class PresignedAttachment:
    url: str
    attachment_id: str


def attach_file(
    capture_id: str, file_name: str, description: str | None
) -> Call[PresignedAttachment]:
    op = "dataCapture_attachFile"
    capture_id = require_id("captureId", capture_id)
    file_name = require_text("fileName", file_name)
    description = optional_text("description", description, allow_empty=True)

    def adapt(result: Any) -> PresignedAttachment:
        presigned = _root(result, "data_capture_attach_file", op, "presigned URL")
        if not presigned.item_id:
            raise InvalidResponseError("the exchange returned no itemId", operation=op)
        # A missing URL is handled by the upload (it must roll the new attachment back).
        return PresignedAttachment(url=presigned.url or "", attachment_id=presigned.item_id)

    return Call(
        op,
        lambda client, options: client.data_capture_attach_file(
            capture_id, file_name, omitted(description), **options
        ),
        adapt,
        WRITE,
    )


def list_attachments(
    capture_id: str, limit: int | None, next_token: str | None
) -> Call[list[DataCaptureAttachment]]:
    capture_id = require_id("captureId", capture_id)
    if limit is not None:
        limit = whole_number("limit", limit)
        if limit < 1:
            raise InvalidInputError(f"limit must be at least 1; got {limit}")
    next_token = optional_token("nextToken", next_token)
    return Call(
        "dataCapture_listAttachments",
        lambda client, options: client.data_capture_list_attachments(
            capture_id, omitted(limit), omitted(next_token), **options
        ),
        _many(DataCaptureAttachment),
    )


def attachment_download_url(capture_id: str, attachment_id: str) -> Call[str]:
    op = "dataCapture_getFileAttachmentDownloadUrl"
    capture_id = require_id("captureId", capture_id)
    attachment_id = require_id("attachmentId", attachment_id)

    def adapt(result: Any) -> str:
        presigned = _root(result, "data_capture_get_file_attachment_download_url", op, "URL")
        if not presigned.url:
            raise NotFoundError("the exchange returned no download URL", operation=op)
        return str(presigned.url)

    return Call(
        op,
        lambda client, options: client.data_capture_get_file_attachment_download_url(
            capture_id, attachment_id, **options
        ),
        adapt,
    )


def delete_attachment(capture_id: str, attachment_id: str) -> Call[DataCaptureAttachment]:
    op = "dataCapture_deleteAttachment"
    capture_id = require_id("captureId", capture_id)
    attachment_id = require_id("attachmentId", attachment_id)
    return Call(
        op,
        lambda client, options: client.data_capture_delete_attachment(
            capture_id, attachment_id, **options
        ),
        _one(DataCaptureAttachment, op, "attachment"),
        WRITE,
    )


# -- data exports, token, sample --------------------------------------------------------------


def data_export(capture_id: str) -> Call[DataCaptureDataExport]:
    op = "dataCapture_getDataExportDownloadUrl"
    capture_id = require_id("captureId", capture_id)
    return Call(
        op,
        lambda client, options: client.data_capture_get_data_export_download_url(
            capture_id, **options
        ),
        _one(DataCaptureDataExport, op, "export"),
    )


def active_data_export(capture_id: str) -> Call[DataCaptureDataExport]:
    op = "dataCapture_getActiveCaptureDataExportDownloadUrl"
    capture_id = require_id("captureId", capture_id)
    return Call(
        op,
        lambda client, options: client.data_capture_get_active_capture_data_export_download_url(
            capture_id, **options
        ),
        _one(DataCaptureDataExport, op, "export"),
    )


def capture_token(capture_id: str) -> Call[AuthenticationToken]:
    op = "dataCapture_getCaptureAuthenticationToken"
    capture_id = require_id("captureId", capture_id)
    return Call(
        op,
        lambda client, options: client.data_capture_get_capture_authentication_token(
            capture_id, **options
        ),
        _one(AuthenticationToken, op, "token"),
    )


def regenerate_capture_token(capture_id: str) -> Call[AuthenticationToken]:
    op = "dataCapture_regenerateAuthenticationToken"
    capture_id = require_id("captureId", capture_id)
    return Call(
        op,
        lambda client, options: client.data_capture_regenerate_authentication_token(
            capture_id, **options
        ),
        _one(AuthenticationToken, op, "token"),
        WRITE,  # a repeat would replace the token the caller is about to receive
    )


def python_sdk_sample(capture_id: str) -> Call[str]:
    op = "dataCapture_getPythonSDKSample"
    capture_id = require_id("captureId", capture_id)

    def adapt(result: Any) -> str:
        return str(_root(result, "data_capture_get_python_sdk_sample", op, "sample"))

    return Call(
        op,
        lambda client, options: client.data_capture_get_python_sdk_sample(capture_id, **options),
        adapt,
    )


# -- subscriptions ----------------------------------------------------------------------------


def on_start_capture(capture_id: str) -> SubscriptionCall[DataCapture]:
    variables = {"captureId": require_id("captureId", capture_id)}
    return SubscriptionCall(
        "onStartCapture", ON_START_CAPTURE, variables, _event(DataCapture, "onStartCapture")
    )


def on_stop_capture(capture_id: str) -> SubscriptionCall[DataCapture]:
    variables = {"captureId": require_id("captureId", capture_id)}
    return SubscriptionCall(
        "onStopCapture", ON_STOP_CAPTURE, variables, _event(DataCapture, "onStopCapture")
    )


def on_notify_capture_complete(capture_id: str) -> SubscriptionCall[DataCapture]:
    variables = {"captureId": require_id("captureId", capture_id)}
    return SubscriptionCall(
        "onNotifyCaptureComplete",
        ON_NOTIFY_CAPTURE_COMPLETE,
        variables,
        _event(DataCapture, "onNotifyCaptureComplete"),
    )


def subscription_ended(capture_id: str) -> InvalidResponseError:
    return InvalidResponseError(
        f"the completion subscription of capture {capture_id!r} ended without an event",
        operation="onNotifyCaptureComplete",
    )
