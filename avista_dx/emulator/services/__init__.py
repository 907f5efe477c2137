"""Service backends: plain classes owning the exchange's rules, one module per area.

Resolvers call them with a :class:`Caller`; they read and write through a
:class:`~avista_dx.emulator.persistence.MetadataStore` (one transaction per mutation) and raise
:mod:`avista_dx.emulator.errors`. Return values are dicts shaped like the schema's types.
"""

from .access import Access, Caller
from .collaborative_admin import CollaborativeAdminService
from .collaboratives import CollaborativeService
from .data_stores import DataStoreService
from .notifications import NotificationService
from .offboarding import OffboardingService
from .organizations import OrganizationService
from .time_series import TimeSeriesService
from .transfers import TransferDeniedError, TransferService, UrlSigner
from .users import UserService

__all__ = [
    "Access",
    "Caller",
    "CollaborativeAdminService",
    "CollaborativeService",
    "DataStoreService",
    "NotificationService",
    "OffboardingService",
    "OrganizationService",
    "TimeSeriesService",
    "TransferDeniedError",
    "TransferService",
    "UrlSigner",
    "UserService",
]
