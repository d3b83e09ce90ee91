"""Encryption of personal information at rest, and keyed lookup hashes.

Values are sealed with AES-256-GCM (authenticated: a flipped byte fails to open). The
key ring comes from the environment, never the database:

    KEPU_FIELD_KEYS="k2:<base64 32 bytes>,k1:<base64 32 bytes>"   (first = active)
    KEPU_BLIND_INDEX_KEY="<base64 32 bytes>"

A ciphertext carries the id of its key ("k2$<base64 nonce+ciphertext>"), so old keys keep
opening old values while new values use the active key; `manage.py rotate_field_keys`
re-seals everything with the active key, after which an old key can be removed.
The blind index (HMAC-SHA256 of the normalized value) finds and deduplicates values
without decrypting them; its key is separate so that leaking one key does not leak both.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import os
from functools import lru_cache

from cryptography.hazmat.primitives.ciphers.aead import AESGCM
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured


class CryptoError(Exception):
    """A value cannot be opened: unknown key id, or tampered/corrupt ciphertext."""


def _decode_key(text: str, name: str) -> bytes:
    try:
        key = base64.b64decode(text, validate=True)
    except ValueError as exc:
        raise ImproperlyConfigured(f"{name}: keys must be base64") from exc
    if len(key) != 32:
        raise ImproperlyConfigured(f"{name}: keys must be 32 bytes (AES-256)")
    return key


@lru_cache(maxsize=8)
def key_ring(spec: str, setting: str = "KEPU_FIELD_KEYS") -> tuple[str, dict[str, bytes]]:
    """(active key id, {key id: key}) of a key-ring setting ("id:base64key,…", newest
    first): the field keys here, the audit trail's keys in kepu.core.auditchain."""
    entries = [e.strip() for e in spec.split(",") if e.strip()]
    if not entries:
        raise ImproperlyConfigured(f"{setting} is empty")
    ring = {}
    for entry in entries:
        kid, _sep, key = entry.partition(":")
        if not kid or not key or "$" in kid:
            raise ImproperlyConfigured(f"{setting} entries look like id:base64key")
        ring[kid] = _decode_key(key, setting)
    return entries[0].partition(":")[0], ring


@lru_cache(maxsize=8)
def _aead(key: bytes) -> AESGCM:
    """One cipher object per key (stateless; an import seals 200,000 values)."""
    return AESGCM(key)


def seal(plaintext: str) -> str:
    """Encrypt with the active key. Empty values stay empty."""
    if not plaintext:
        return ""
    kid, ring = key_ring(settings.FIELD_KEYS)
    nonce = os.urandom(12)
    sealed = _aead(ring[kid]).encrypt(nonce, plaintext.encode(), kid.encode())
    return f"{kid}${base64.b64encode(nonce + sealed).decode()}"


def open_sealed(token: str) -> str:
    if not token:
        return ""
    kid, _sep, body = token.partition("$")
    _active, ring = key_ring(settings.FIELD_KEYS)
    if kid not in ring:
        raise CryptoError(f"no key {kid!r} in the key ring")
    raw = base64.b64decode(body)
    try:
        return _aead(ring[kid]).decrypt(raw[:12], raw[12:], kid.encode()).decode()
    except Exception as exc:  # InvalidTag: wrong key or altered ciphertext
        raise CryptoError("the value cannot be opened (altered or wrong key)") from exc


# Files (import uploads) are sealed whole: MAGIC, the key id's length and id, the nonce,
# then the AES-GCM ciphertext (its tag authenticates the rest, the id included).
FILE_MAGIC = b"KEPU-SEALED-1\n"


def seal_bytes(data: bytes) -> bytes:
    """Encrypt a file's content with the active key."""
    kid, ring = key_ring(settings.FIELD_KEYS)
    nonce = os.urandom(12)
    head = FILE_MAGIC + bytes([len(kid)]) + kid.encode()
    return head + nonce + _aead(ring[kid]).encrypt(nonce, data, head)


def is_sealed_bytes(data: bytes) -> bool:
    return data.startswith(FILE_MAGIC)


def open_sealed_bytes(blob: bytes) -> bytes:
    """The content of a file sealed by `seal_bytes` (CryptoError when it cannot be)."""
    if not blob.startswith(FILE_MAGIC) or len(blob) < len(FILE_MAGIC) + 1:
        raise CryptoError("not a sealed file")
    at = len(FILE_MAGIC)
    end = at + 1 + blob[at]
    head, kid = blob[:end], blob[at + 1 : end].decode("ascii", "replace")
    _active, ring = key_ring(settings.FIELD_KEYS)
    if kid not in ring:
        raise CryptoError(f"no key {kid!r} in the key ring")
    try:
        return _aead(ring[kid]).decrypt(blob[end : end + 12], blob[end + 12 :], head)
    except Exception as exc:  # InvalidTag: wrong key or altered file
        raise CryptoError("the file cannot be opened (altered or wrong key)") from exc


def key_id(token: str) -> str:
    return token.partition("$")[0] if token else ""


def active_key_id() -> str:
    return key_ring(settings.FIELD_KEYS)[0]


@lru_cache(maxsize=2)
def _blind_key(text: str) -> bytes:
    return _decode_key(text, "KEPU_BLIND_INDEX_KEY")


def blind_index(value: str) -> str:
    """Keyed hash of a normalized identifier, for exact lookups and uniqueness."""
    if not value:
        return ""
    key = _blind_key(settings.BLIND_INDEX_KEY)
    normalized = "".join(value.split()).upper()
    return hmac.new(key, normalized.encode(), hashlib.sha256).hexdigest()


def new_key() -> str:
    return base64.b64encode(os.urandom(32)).decode()
