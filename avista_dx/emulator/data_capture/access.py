"""Who may do what with a data capture.

A capture is a shareable service (``ServiceType.DATA_CAPTURE``): its owner has every right,
READ_WRITE members of a collaborative it is shared with operate it (start, stop, publish,
attach files, change its data model and times), READ_ONLY members read it (its data model, data,
exports and attachments). Only the owner deletes it, reads or replaces its token, or moves it
to completion. A platform admin has no rights through that role alone.

The capture's own token (``DATA_CAPTURE_READ_WRITE``) acts for that capture alone, through
:data:`CAPTURE_TOKEN_FIELDS`, with a READ_WRITE member's rights; it never reaches anything
through the user it belongs to. Unknown captures and denials both answer ``Unauthorized``.
"""

from __future__ import annotations

from ..errors import UnauthorizedError
from ..persistence import MetadataView
from ..services import validation
from ..services.access import Access, Caller, service_access
from .records import CaptureRecord

CAPTURE_TOKEN_TYPE = "DATA_CAPTURE_READ_WRITE"

# Root fields (and subscriptions) a capture token may use, each only for its own capture: what
# a publisher needs (the 1.2.1 client documents start, stop, publish and subscribeToData with
# either token).
CAPTURE_TOKEN_FIELDS = frozenset(
    {
        "dataCapture_getCapture",
        "dataCapture_getDataModel",
        "dataCapture_startCapture",
        "dataCapture_stopCapture",
        "dataCapture_publishData",
        "onCapturePublishData",
        "onStartCapture",
        "onStopCapture",
        "onNotifyCaptureComplete",
    }
)


def capture_access(view: MetadataView, caller: Caller, record: CaptureRecord) -> Access:
    if caller.scope is not None:
        if caller.token_type == CAPTURE_TOKEN_TYPE and caller.scope == record.capture_id:
            return Access.WRITE
        return Access.NONE
    return service_access(view, caller.user, record.capture_id, record.owner_user_id)


def require_capture(
    view: MetadataView, caller: Caller, capture_id: object, needed: Access
) -> CaptureRecord:
    key = validation.identifier(capture_id, "captureId")
    record = view.get(CaptureRecord, key)
    if record is None or capture_access(view, caller, record) < needed:
        raise UnauthorizedError()
    return record
