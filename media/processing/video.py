"""Videos: a poster frame and a metadata-free copy of the streams (remuxed, not transcoded).

Phones write the place a video was shot into the container (`©xyz` in MP4). Remuxing copies the
coded video and audio packets into a fresh container whose metadata we never set, so the
location, device and any other tags stay behind while quality and CPU cost are untouched.
"""

from __future__ import annotations

from dataclasses import dataclass

import av
from PIL import Image

from media.probe import video_duration_ms

MUXERS = {"video/mp4": "mp4", "video/webm": "webm"}


@dataclass
class VideoInfo:
    width: int
    height: int
    duration_ms: int
    poster: Image.Image


def read(path: str) -> VideoInfo:
    """Duration, dimensions and the first decodable frame as an upright RGB picture."""
    with av.open(path, mode="r") as container:
        stream = container.streams.video[0]
        duration_ms = video_duration_ms(container)
        frame = next(container.decode(stream))
        poster = frame.to_image().convert("RGB")
        rotation = int(getattr(frame, "rotation", 0) or 0) % 360
    if rotation:
        # The display matrix turns counter-clockwise; PIL's rotate() does too.
        poster = poster.rotate(rotation, expand=True)
    return VideoInfo(
        width=poster.width, height=poster.height, duration_ms=duration_ms or 0, poster=poster
    )


def remux(source_path: str, target_path: str, *, content_type: str) -> None:
    """Copy the first video stream and the first audio stream, nothing else, to `target_path`."""
    options = {"movflags": "+faststart"} if content_type == "video/mp4" else {}
    with av.open(source_path, mode="r") as source:
        streams = [source.streams.video[0]]
        if source.streams.audio:
            streams.append(source.streams.audio[0])
        with av.open(target_path, mode="w", format=MUXERS[content_type], options=options) as target:
            mapping = {}
            for stream in streams:
                copied = target.add_stream_from_template(stream)
                copied.metadata.clear()
                mapping[stream.index] = copied
            for packet in source.demux(streams):
                if packet.dts is None:
                    continue  # The demuxer's flush packet.
                packet.stream = mapping[packet.stream.index]
                target.mux(packet)
