"""Where media files live and how clients reach them, through Django's storage API only.

Keys are `m/<media id>/<random>/<variant>.<ext>`: the id lets the file view find the row, the
random part makes keys unguessable and never reused, so nothing is ever overwritten.

URLs: public media get plain URLs, the rest signed and expiring ones
(MEDIA_URL_EXPIRE_SECONDS). On the filesystem the signature is our own HMAC (`?exp=&sig=`),
checked by media.views.serve; on S3 it is a presigned URL, and a public object carries the
tag `public=true`, which the bucket policy (docs/operations.md) lets anyone read.
"""

from __future__ import annotations

import functools
import hashlib
import hmac
import secrets
import time
from urllib.parse import urlencode

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import FileSystemStorage, Storage, default_storage
from django.utils.crypto import constant_time_compare
from django.utils.encoding import filepath_to_uri

SIGNING_SALT = "media.url"
PUBLIC_TAG = {"TagSet": [{"Key": "public", "Value": "true"}]}
# Signed URLs are rounded up to this step so a page shown twice gives the same (cacheable) URL.
EXPIRY_STEP_SECONDS = 60


def storage() -> Storage:
    return default_storage


def is_s3(store: Storage | None = None) -> bool:
    store = store or storage()
    return hasattr(store, "bucket_name") and hasattr(store, "connection")


def new_prefix(media_id: int) -> str:
    return f"m/{media_id}/{secrets.token_urlsafe(12)}"


def media_id_of(name: str) -> int | None:
    """The media id in a key `m/<id>/...`, or None for any other name."""
    parts = name.split("/")
    if len(parts) == 4 and parts[0] == "m" and parts[1].isdigit():
        return int(parts[1])
    return None


def save_new(name: str, content: bytes | ContentFile) -> str:
    """Store under `name` (unique by construction); the storage's own name is returned."""
    if isinstance(content, bytes):
        content = ContentFile(content)
    return storage().save(name, content)


def delete_all(names) -> None:
    store = storage()
    for name in names:
        if name:
            store.delete(name)


# --- URLs ----------------------------------------------------------------------------------


def url_for(name: str, *, public: bool) -> str:
    store = storage()
    if is_s3(store):
        if public:
            return _s3_plain_url(store, name)
        return _s3_presigned_url(store, name)
    url = _filesystem_url(store, name)
    if public:
        return url
    return f"{url}?{urlencode(sign(name))}"


def _filesystem_url(store: Storage, name: str) -> str:
    # Storage.url's urljoin was most of the time a feed page spent on URLs; for our keys (no
    # leading slash, no dot segments) the base URL, which always ends in "/", plus the quoted
    # key is the same URL.
    if isinstance(store, FileSystemStorage):
        return store.base_url + filepath_to_uri(name)
    return store.url(name)


def _expires_at() -> int:
    raw = int(time.time()) + settings.MEDIA_URL_EXPIRE_SECONDS
    return -(-raw // EXPIRY_STEP_SECONDS) * EXPIRY_STEP_SECONDS


@functools.lru_cache(maxsize=4)
def _signing_key(secret: str) -> bytes:
    return hashlib.sha256(f"{SIGNING_SALT}{secret}".encode()).digest()


def signature(name: str, expires: int) -> str:
    """Django's salted_hmac (sha256) with its derived key kept: a page signs dozens of URLs."""
    message = f"{name}\n{expires}".encode()
    return hmac.new(_signing_key(settings.SECRET_KEY), message, hashlib.sha256).hexdigest()


def sign(name: str, *, expires: int | None = None) -> dict[str, str]:
    expires = _expires_at() if expires is None else expires
    return {"exp": str(expires), "sig": signature(name, expires)}


def signature_valid(name: str, exp: str | None, sig: str | None) -> bool:
    """True for an unexpired signature made by `sign` for exactly this name."""
    if not exp or not sig or not exp.isdigit():
        return False
    expires = int(exp)
    if expires < time.time():
        return False
    return constant_time_compare(sig, signature(name, expires))


def _s3_plain_url(store, name: str) -> str:
    if store.custom_domain:
        return f"{store.url_protocol}//{store.custom_domain}/{name}"
    # An unsigned client yields the object's plain address (no query string) for this endpoint.
    client = store.unsigned_connection.meta.client
    return client.generate_presigned_url(
        "get_object", Params={"Bucket": store.bucket_name, "Key": store._normalize_name(name)}
    )


def _s3_presigned_url(store, name: str) -> str:
    expire = settings.MEDIA_URL_EXPIRE_SECONDS
    if store.custom_domain and store.cloudfront_signer:
        return store.url(name, expire=expire)
    # A custom domain without CloudFront keys would give an unsigned URL the bucket refuses:
    # private media are presigned on the bucket's own endpoint instead.
    return store.connection.meta.client.generate_presigned_url(
        "get_object",
        Params={"Bucket": store.bucket_name, "Key": store._normalize_name(name)},
        ExpiresIn=expire,
    )


def s3_set_public(names, public: bool) -> None:
    """Tag (or untag) objects so the bucket policy lets anyone read them; S3 only."""
    store = storage()
    client = store.connection.meta.client
    for name in names:
        key = store._normalize_name(name)
        if public:
            client.put_object_tagging(Bucket=store.bucket_name, Key=key, Tagging=PUBLIC_TAG)
        else:
            client.delete_object_tagging(Bucket=store.bucket_name, Key=key)


def public_read_policy(bucket: str) -> dict:
    """The bucket policy operators set (docs/operations.md): anyone may read media objects
    tagged public=true, and nothing else; everything untagged needs a presigned URL."""
    return {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "PublicMediaVariants",
                "Effect": "Allow",
                "Principal": "*",
                "Action": "s3:GetObject",
                "Resource": f"arn:aws:s3:::{bucket}/m/*",
                "Condition": {"StringEquals": {"s3:ExistingObjectTag/public": "true"}},
            }
        ],
    }
