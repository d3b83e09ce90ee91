"""Storage for files only the platform itself reads (import uploads, job outputs): under
MEDIA_ROOT like every upload, but created mode 0600 in folders made 0700, so that no
other account on the host (nor a web server serving media/) can read them."""

import os

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


# The folders under MEDIA_ROOT that hold private files (the upload_to of ImportJob.file
# and Job.file).
PRIVATE_FOLDERS = ("imports", "jobs")


def tighten() -> int:
    """Make the private folders 0700 and their files 0600, those written before this
    storage existed included (run by the daily file purge). Returns how many it changed."""
    changed = 0
    for folder in PRIVATE_FOLDERS:
        top = os.path.join(_storage.location, folder)
        for path, _dirs, files in os.walk(top):
            for name, mode in [(path, 0o700), *((os.path.join(path, f), 0o600) for f in files)]:
                try:
                    if os.stat(name).st_mode & 0o777 != mode:
                        os.chmod(name, mode)
                        changed += 1
                except FileNotFoundError:  # deleted meanwhile by another purge
                    continue
    return changed
