"""Data captures (``dataCapture_*``): data models, the capture lifecycle, publishing into the
Timestream engine, capture tokens, attachments and exports.

Kept import-free: :mod:`..persistence.models` imports :mod:`.records` while it is loading.
"""
