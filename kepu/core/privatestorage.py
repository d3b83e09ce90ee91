"""Storage for files only the platform itself reads (import uploads, job outputs): under
MEDIA_ROOT like every upload, but created mode 0600 in folders made 0700, so that no
other account on the host (nor a web server serving media/) can read them."""

from django.core.files.storage import FileSystemStorage


class PrivateFileStorage(FileSystemStorage):
    """FileSystemStorage with owner-only permissions."""

    def __init__(self, **kwargs):
        kwargs.setdefault("file_permissions_mode", 0o600)
        kwargs.setdefault("directory_permissions_mode", 0o700)
        super().__init__(**kwargs)


_storage = PrivateFileStorage()


def private_storage() -> PrivateFileStorage:
    """The storage of private files (a callable, so migrations name it, not its state)."""
    return _storage
