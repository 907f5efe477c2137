"""MkDocs hooks of the documentation site (mkdocs.yml `hooks:`): the build fails when the API
reference lacks a public method or exported name (scripts/docs_reference.py says which)."""

from __future__ import annotations

from pathlib import Path

from mkdocs.config.defaults import MkDocsConfig
from mkdocs.exceptions import PluginError

from scripts.docs_reference import reference_gaps


def on_post_build(config: MkDocsConfig) -> None:
    gaps = reference_gaps(Path(config.site_dir))
    if gaps:
        listed = "\n  ".join(gaps)
        raise PluginError(f"the API reference is incomplete ({len(gaps)}):\n  {listed}")
