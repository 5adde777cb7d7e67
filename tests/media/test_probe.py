"""probe: what an upload is, and whether it is whole, from its structure without decoding."""

from __future__ import annotations

import io
from contextlib import ExitStack
from unittest import mock

import pytest
from PIL import ImageFile, WebPImagePlugin
from pillow_heif.as_plugin import HeifImageFile

from backend.errors import InvalidInput
from media.probe import probe
from tests.media import samples


@pytest.mark.parametrize(
    ("data", "content_type"),
    [
        (samples.jpeg_detailed(), "image/jpeg"),
        (samples.png(), "image/png"),
        (samples.webp(), "image/webp"),
        (samples.heic(), "image/heic"),
    ],
    ids=["jpeg", "png", "webp", "heic"],
)
def test_pictures_are_checked_without_decoding_a_pixel(data, content_type):
    """No decoder's load() runs at upload, whatever the format: the request pays for reading
    the structure only, and the pixels are decoded once, by the processing task."""
    with ExitStack() as stack:
        for image_class in (ImageFile.ImageFile, WebPImagePlugin.WebPImageFile, HeifImageFile):
            stack.enter_context(
                mock.patch.object(image_class, "load", side_effect=AssertionError("decoded"))
            )
        info = probe(io.BytesIO(data), size=len(data))

    assert (info.kind, info.content_type) == ("image", content_type)


@pytest.mark.parametrize(
    "cut",
    [
        lambda data: data[: data.index(b"\xff\xda") - 10],
        lambda data: data[: data.index(b"\xff\xda") + 8],
        lambda data: data[:-2],
    ],
    ids=["inside-a-header-segment", "inside-the-scan-header", "just-before-eoi"],
)
def test_a_jpeg_cut_anywhere_is_refused(cut):
    """Cut in its header segments, in its scan header, or short of its final EOI marker, a
    JPEG is refused as invalid_media."""
    data = cut(samples.jpeg_detailed())

    with pytest.raises(InvalidInput) as error:
        probe(io.BytesIO(data), size=len(data))

    assert error.value.code == "invalid_media"
