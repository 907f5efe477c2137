"""The HTTP layer: Starlette endpoints that turn requests into calls of the API and services.

``graphql`` serves ``POST /graphql``, ``transfers`` the presigned S3-style PUT/GET,
``admin`` the development routes under ``/_emulator/``. The composition root (``app.py``)
mounts them.
"""
