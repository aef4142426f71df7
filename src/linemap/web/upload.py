"""Uploaded files: saved to a private temporary folder, size- and type-checked (R33)."""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import UploadFile

from linemap.errors import InvalidInput

SUFFIXES = (".csv", ".xlsx", ".jsonl")
_CHUNK = 1024 * 1024


@asynccontextmanager
async def saved_upload(upload: UploadFile, max_bytes: int) -> AsyncIterator[Path]:
    """Save an upload under a fixed name with its type's suffix; delete it afterwards."""
    suffix = Path(upload.filename or "").suffix.lower()
    if suffix not in SUFFIXES:
        raise InvalidInput(f"upload a {', '.join(SUFFIXES)} file; this one's type is not accepted")
    with tempfile.TemporaryDirectory(prefix="linemap-upload-") as folder:
        path = Path(folder) / f"upload{suffix}"
        size = 0
        with path.open("wb") as out:
            while chunk := await upload.read(_CHUNK):
                size += len(chunk)
                if size > max_bytes:
                    raise InvalidInput(
                        f"the file is larger than {max_bytes // (1024 * 1024)} MB; "
                        "split it or load it with `linemap ingest`"
                    )
                out.write(chunk)
        if size == 0:
            raise InvalidInput("the uploaded file is empty; choose the export file again")
        yield path
