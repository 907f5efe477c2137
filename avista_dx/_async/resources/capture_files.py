"""`dx.dataCapture`'s files: attachments (uploaded and downloaded through presigned URLs) and
the CSV data exports."""

from __future__ import annotations

import os
from pathlib import Path

from ... import _ops_data_capture as ops
from ... import types_data_capture as types
from ..._transfers import (
    ProgressOption,
    UploadBody,
    check_download_path,
    check_progress,
    names_directory,
    plan_upload,
    progress_callback,
    resolve_download_target,
)
from ..._upload_sources import UploadContent
from ...errors import NotFoundError
from .._resource import AsyncAPIResource

EXPORT_COMPLETE = "COMPLETE"  # DataCaptureDataExportState


class AsyncCaptureFiles(AsyncAPIResource):
    """A capture's attachments and data exports."""

    async def attachFile(
        self,
        captureId: str,
        file: UploadContent,
        *,
        fileName: str | None = None,
        description: str | None = None,
        progress: ProgressOption = None,
        content_type: str | None = None,
    ) -> types.DataCaptureAttachment:
        """Attaches a file to a capture: a local path, `bytes` or a binary file object (read
        from its current position to its end; a stream that cannot seek is first copied to
        a temporary file: S3 needs the length up front). The name is `fileName`, else the
        path's or the file object's name (`bytes` and nameless file objects need
        `fileName`). The bytes go by presigned PUT, streamed, never read whole.
        `content_type` is the stored MIME type; by default it is guessed from the name
        (`mimetypes`), and when nothing is known S3's default (`binary/octet-stream`)
        applies. If anything fails after the attachment was registered, it is deleted
        again. The answer is the attachment as the capture's listing shows it.
        `progress` is a callable `(done, total)` or True for a tqdm bar.

        Raises:
            LocalFileNotFoundError: the path is not a regular file.
            InvalidInputError: no name for `bytes` or a nameless file object, a closed or
                text-mode file object, or a `content_type` that is not `type/subtype`.
            UploadError: the transfer failed (`rollback_error` is set if the cleanup failed).
        """
        check_progress(progress)  # before a stream that cannot seek is read
        plan = plan_upload(
            file, fileName, content_type, content_argument="file", name_argument="fileName"
        )
        name = plan.file_name
        body = UploadBody(plan, progress_callback(progress, name))
        presigned = await self._execute(ops.attach_file(captureId, name, description))
        attachment_id = presigned.attachment_id
        listed = await self._client._put_or_roll_back(
            presigned.url,
            body,
            "attachFile",
            ops.delete_attachment(captureId, attachment_id),
            lambda: self._listed(captureId, attachment_id),
        )
        # An attachment beyond the listing's first page is kept: it was uploaded.
        return listed or types.DataCaptureAttachment(
            attachmentId=attachment_id, attachmentType="FILE", name=name, description=description
        )

    async def _listed(
        self, captureId: str, attachmentId: str
    ) -> types.DataCaptureAttachment | None:
        """The attachment as the capture's listing (its first page) shows it."""
        for attachment in await self._execute(ops.list_attachments(captureId, None, None)):
            if attachment.attachmentId == attachmentId:
                return attachment
        return None

    async def _attachment(self, captureId: str, attachmentId: str) -> types.DataCaptureAttachment:
        attachment = await self._listed(captureId, attachmentId)
        if attachment is None:
            raise NotFoundError(
                f"capture {captureId!r} has no attachment {attachmentId!r}",
                operation="dataCapture_listAttachments",
            )
        return attachment

    async def listAttachments(
        self, captureId: str, *, limit: int | None = None, nextToken: str | None = None
    ) -> list[types.DataCaptureAttachment]:
        """The capture's attachments, in the order they were attached; `error` is
        FILE_UPLOAD_INCOMPLETE for one whose bytes never arrived. `limit` and `nextToken`
        are passed to the exchange as given."""
        return await self._execute(ops.list_attachments(captureId, limit, nextToken))

    async def getFileAttachmentDownloadUrl(self, captureId: str, attachmentId: str) -> str:
        """A presigned GET URL of the attachment's bytes (send no token to it)."""
        return await self._execute(ops.attachment_download_url(captureId, attachmentId))

    async def downloadAttachment(
        self,
        captureId: str,
        attachmentId: str,
        writeLocation: str | os.PathLike[str],
        *,
        progress: ProgressOption = None,
    ) -> Path:
        """Downloads an attachment; returns the file written.

        If `writeLocation` is an existing directory, or a path ending in a separator
        (`"downloads/"`, created if missing), the file keeps the attachment's name inside it
        (one more request, to read it); otherwise `writeLocation` is the file path (replaced
        if it exists). The bytes go to a temporary file renamed into place only
        when complete; each try asks for a fresh URL.

        Raises:
            NotFoundError: the capture has no such attachment.
            DownloadError: the transfer failed (an attachment whose upload never completed
                has no bytes).
        """
        check_download_path(writeLocation, progress)  # before any request
        name = ""
        if names_directory(writeLocation):
            attachment = await self._attachment(captureId, attachmentId)
            name = attachment.name or ""
        target = resolve_download_target(writeLocation, name)
        await self._client._download_to(
            target,
            None,
            progress_callback(progress, target.name),
            "downloadAttachment",
            lambda: self._execute(ops.attachment_download_url(captureId, attachmentId)),
        )
        return target

    async def deleteAttachment(
        self, captureId: str, attachmentId: str
    ) -> types.DataCaptureAttachment:
        """Deletes an attachment and its bytes; returns what it was."""
        return await self._execute(ops.delete_attachment(captureId, attachmentId))

    async def getActiveCaptureDataExportDownloadUrl(
        self, captureId: str
    ) -> types.DataCaptureDataExport:
        """An export of the data a CAPTURING capture holds so far (`url` once COMPLETE).

        Raises:
            BadRequestError: the capture is not CAPTURING.
        """
        return await self._execute(ops.active_data_export(captureId))

    async def getDataExportDownloadUrl(self, captureId: str) -> types.DataCaptureDataExport:
        """The full export of a stopped capture: NOT_CREATED before the stop, IN_PROGRESS
        while it completes, then COMPLETE with `url` (or FAILED, with `logs`)."""
        return await self._execute(ops.data_export(captureId))

    async def downloadDataExport(
        self,
        captureId: str,
        writeLocation: str | os.PathLike[str],
        *,
        active: bool = False,
        progress: ProgressOption = None,
    ) -> types.DataCaptureDataExport:
        """Downloads the full export CSV of a completed capture (or, with `active=True`, an
        export of a CAPTURING capture's data so far) to `writeLocation` (the export's name
        inside it if it is a directory or ends in a separator); returns the export.

        Raises:
            NotFoundError: the export is not COMPLETE (its `state` is in the message).
            DownloadError: the transfer failed.
        """
        check_download_path(writeLocation, progress)  # before any request
        call = ops.active_data_export(captureId) if active else ops.data_export(captureId)
        export = await self._execute(call)
        if export.state != EXPORT_COMPLETE or not export.url:
            raise NotFoundError(
                f"the data export of capture {captureId!r} is {export.state}, not COMPLETE",
                operation=call.operation,
            )
        target = resolve_download_target(writeLocation, export.name or f"{captureId}.csv")
        progress_to = progress_callback(progress, target.name)
        await self._client._save_url(export.url, target, "downloadDataExport", progress_to)
        return export
