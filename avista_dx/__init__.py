"""avista-dx: the typed Python SDK for the Avista Digital Exchange."""

__all__: list[str] = []
