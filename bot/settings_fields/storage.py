"""Where the knowledge base lives: the data dir and the Chroma store."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

from pydantic import BaseModel, Field

from bot.settings_fields.common import Unset


class StorageFields(BaseModel):
    """The data dir and the vector store."""

    data_dir: Path = Field(
        Path("data"), description="Where the embedded store, lexical index, caches and audit log live."
    )
    chroma_url: Annotated[str | None, Unset] = Field(
        None,
        description="URL of a Chroma server (http://host:8000); unset = embedded store under the data dir.",
    )
    chroma_collection: str = Field("reportbot", description="Chroma collection name.")
    store_min_free_mb: int = Field(
        32,
        ge=0,
        description="Free disk (MB) the embedded store keeps: a write that would go below it is refused "
        "before it starts (0 = write until the disk refuses).",
    )
