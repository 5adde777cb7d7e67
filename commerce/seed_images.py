"""Product photos for the demo shop, drawn with Pillow: no image files in the repository.

Each picture is a soft gradient in the product's colour with a simple still life on it (a round
fruit with a leaf, a bunch of berries, a loaf, a tart, a bottle, a bag), jittered by a random
generator seeded from the product's name, so the same product always gets the same picture.
"""

from __future__ import annotations

import hashlib
import io
import math
import random
from collections.abc import Callable

from PIL import Image, ImageDraw, ImageFilter

SIZE = 800
# Shapes are drawn at twice the size and scaled down: Pillow's ellipses have no antialiasing.
SCALE = 2
Colour = tuple[int, int, int]

LEAF_GREEN: Colour = (72, 140, 62)
STEM_BROWN: Colour = (96, 66, 40)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shade(colour: Colour, amount: float) -> Colour:
    """Darker for a negative amount, lighter for a positive one (-1..1)."""
    return _mix(colour, (0, 0, 0) if amount < 0 else (255, 255, 255), abs(amount))


def _background(colour: Colour, rng: random.Random) -> Image.Image:
    top = _mix(colour, (255, 255, 255), 0.82 + rng.uniform(-0.04, 0.04))
    bottom = _mix(colour, (255, 255, 255), 0.55 + rng.uniform(-0.05, 0.05))
    # Mixed on a small strip and stretched: a vertical gradient loses nothing by it.
    mask = Image.linear_gradient("L").resize((1, 256))
    strip = Image.composite(
        Image.new("RGB", mask.size, bottom), Image.new("RGB", mask.size, top), mask
    )
    tall = strip.resize((1, SIZE * SCALE), Image.Resampling.BILINEAR)
    return tall.resize((SIZE * SCALE, SIZE * SCALE), Image.Resampling.NEAREST)


def _shadow(canvas: Image.Image, box: tuple[float, float, float, float]) -> None:
    """A blurred ellipse under the subject, so it sits on a table instead of floating."""
    # Drawn in a padded region around the box, at a quarter of the size, blurred and scaled up:
    # the same softness for a fraction of the work on the whole canvas.
    pad = 48 * SCALE
    left, top = int(box[0]) - pad, int(box[1]) - pad
    width, height = int(box[2] - box[0]) + 2 * pad, int(box[3] - box[1]) + 2 * pad
    small = Image.new("L", (width // 4, height // 4), 0)
    ImageDraw.Draw(small).ellipse(
        (pad / 4, pad / 4, (width - pad) / 4, (height - pad) / 4), fill=90
    )
    blurred = small.filter(ImageFilter.GaussianBlur(18 * SCALE / 4))
    canvas.paste(
        (60, 50, 40),
        (left, top, left + width, top + height),
        mask=blurred.resize((width, height), Image.Resampling.BILINEAR),
    )


def _leaf(draw: ImageDraw.ImageDraw, x: float, y: float, length: float, angle: float) -> None:
    """A pointed leaf from (x, y) along `angle` (radians), with its midrib."""
    tip = (x + length * math.cos(angle), y + length * math.sin(angle))
    width = length * 0.32
    mid = (x + length * 0.5 * math.cos(angle), y + length * 0.5 * math.sin(angle))
    side = (math.cos(angle + math.pi / 2) * width, math.sin(angle + math.pi / 2) * width)
    outline = [
        (x, y),
        (mid[0] + side[0], mid[1] + side[1]),
        tip,
        (mid[0] - side[0], mid[1] - side[1]),
    ]
    draw.polygon(outline, fill=LEAF_GREEN)
    draw.line([(x, y), tip], fill=_shade(LEAF_GREEN, -0.3), width=3 * SCALE)


def _round_fruit(
    draw: ImageDraw.ImageDraw, colour: Colour, cx: float, cy: float, r: float, rng: random.Random
) -> None:
    """A sphere lit from the upper left: dark rim, body, highlight, stem and a leaf."""
    squash = rng.uniform(0.9, 1.05)
    draw.ellipse((cx - r, cy - r * squash, cx + r, cy + r * squash), fill=_shade(colour, -0.25))
    inner = r * 0.93
    draw.ellipse(
        (
            cx - inner - r * 0.04,
            cy - inner * squash - r * 0.04,
            cx + inner - r * 0.04,
            cy + inner * squash - r * 0.04,
        ),
        fill=colour,
    )
    hx, hy, hr = cx - r * 0.38, cy - r * 0.42, r * 0.2
    draw.ellipse((hx - hr, hy - hr * 0.7, hx + hr, hy + hr * 0.7), fill=_shade(colour, 0.45))
    top = cy - r * squash
    draw.line(
        [(cx, top + r * 0.08), (cx + r * 0.05, top - r * 0.16)], fill=STEM_BROWN, width=7 * SCALE
    )
    _leaf(draw, cx + r * 0.04, top - r * 0.06, r * 0.55, rng.uniform(-0.6, -0.15))


def draw_round(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    """Two or three round fruits (oranges, apples, peaches, lychees)."""
    draw = ImageDraw.Draw(canvas)
    s = SIZE * SCALE
    count = rng.choice((2, 3))
    _shadow(canvas, (s * 0.14, s * 0.68, s * 0.86, s * 0.84))
    spots = [(0.36, 0.55, 0.2), (0.64, 0.56, 0.19), (0.5, 0.42, 0.18)][:count]
    for fx, fy, fr in sorted(spots, key=lambda spot: spot[1]):
        _round_fruit(
            draw,
            _shade(colour, rng.uniform(-0.08, 0.08)),
            s * fx,
            s * fy,
            s * fr * rng.uniform(0.92, 1.08),
            rng,
        )


def draw_berries(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    """A heap of small berries with glints, as in a punnet seen from above."""
    draw = ImageDraw.Draw(canvas)
    s = SIZE * SCALE
    _shadow(canvas, (s * 0.16, s * 0.62, s * 0.84, s * 0.82))
    for _ in range(34):
        angle = rng.uniform(0, 2 * math.pi)
        distance = rng.uniform(0, 0.26) * s
        x, y = s * 0.5 + distance * math.cos(angle), s * 0.52 + distance * math.sin(angle) * 0.7
        r = s * rng.uniform(0.055, 0.075)
        tone = _shade(colour, rng.uniform(-0.2, 0.1))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_shade(tone, -0.25))
        draw.ellipse((x - r * 0.9, y - r * 0.95, x + r * 0.85, y + r * 0.8), fill=tone)
        draw.ellipse((x - r * 0.5, y - r * 0.6, x - r * 0.15, y - r * 0.3), fill=_shade(tone, 0.5))
    _leaf(draw, s * 0.52, s * 0.36, s * 0.2, -0.7)
    _leaf(draw, s * 0.5, s * 0.37, s * 0.16, -2.3)


def _crescent(canvas: Image.Image, box: tuple[float, float, float, float], fill: Colour) -> None:
    """An ellipse with a shifted copy of itself cut away: the body of a banana or a mango."""
    left, top = int(box[0]), int(box[1])
    width, height = int(box[2]) - left + 1, int(box[3]) - top + 1
    mask = Image.new("L", (width, height), 0)
    draw = ImageDraw.Draw(mask)
    x0, y0, x1, y1 = box[0] - left, box[1] - top, box[2] - left, box[3] - top
    draw.ellipse((x0, y0, x1, y1), fill=255)
    lift = (y1 - y0) * 0.32
    draw.ellipse((x0 + lift * 0.3, y0 - lift, x1 - lift * 0.3, y1 - lift), fill=0)
    canvas.paste(fill, (left, top, left + width, top + height), mask=mask)


def draw_long(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    """Curved long fruit (bananas, a hand of them): crescents stacked front to back."""
    s = SIZE * SCALE
    _shadow(canvas, (s * 0.12, s * 0.66, s * 0.88, s * 0.82))
    for shift in (0.0, 0.06, 0.12)[: rng.choice((2, 3))]:
        box = (s * 0.12, s * (0.2 + shift), s * 0.88, s * (0.7 + shift))
        _crescent(canvas, box, _shade(colour, -0.25))
        inner = (box[0] + s * 0.012, box[1] + s * 0.006, box[2] - s * 0.012, box[3] - s * 0.014)
        _crescent(canvas, inner, _shade(colour, rng.uniform(-0.06, 0.06)))
    draw = ImageDraw.Draw(canvas)
    draw.polygon(
        [(s * 0.84, s * 0.42), (s * 0.9, s * 0.36), (s * 0.92, s * 0.39), (s * 0.87, s * 0.46)],
        fill=STEM_BROWN,
    )


def draw_loaf(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    """A crusty loaf with slashes across its top."""
    draw = ImageDraw.Draw(canvas)
    s = SIZE * SCALE
    _shadow(canvas, (s * 0.1, s * 0.64, s * 0.9, s * 0.82))
    box = (s * 0.12, s * 0.3, s * 0.88, s * 0.74)
    draw.ellipse(box, fill=_shade(colour, -0.3))
    draw.ellipse(
        (box[0] + s * 0.015, box[1] + s * 0.01, box[2] - s * 0.015, box[3] - s * 0.03), fill=colour
    )
    draw.ellipse((s * 0.24, s * 0.34, s * 0.7, s * 0.48), fill=_shade(colour, 0.2))
    for index in range(rng.choice((3, 4))):
        x = s * (0.3 + index * 0.13)
        draw.line(
            [(x, s * 0.4), (x + s * 0.09, s * 0.6)], fill=_shade(colour, 0.5), width=14 * SCALE
        )


def draw_tart(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    """A round tart or cake seen from above: crust ring, filling, a few dots of topping."""
    draw = ImageDraw.Draw(canvas)
    s = SIZE * SCALE
    crust = (214, 160, 92)
    _shadow(canvas, (s * 0.16, s * 0.62, s * 0.84, s * 0.84))
    draw.ellipse((s * 0.17, s * 0.24, s * 0.83, s * 0.76), fill=_shade(crust, -0.25))
    draw.ellipse((s * 0.19, s * 0.25, s * 0.81, s * 0.73), fill=crust)
    draw.ellipse((s * 0.25, s * 0.3, s * 0.75, s * 0.68), fill=colour)
    draw.ellipse((s * 0.32, s * 0.34, s * 0.48, s * 0.42), fill=_shade(colour, 0.35))
    for _ in range(rng.randint(5, 9)):
        x, y, r = (
            s * rng.uniform(0.34, 0.66),
            s * rng.uniform(0.38, 0.62),
            s * rng.uniform(0.015, 0.03),
        )
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_shade(colour, -0.35))


def draw_bottle(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    """A bottle of juice or tea with a label and a cap."""
    draw = ImageDraw.Draw(canvas)
    s = SIZE * SCALE
    _shadow(canvas, (s * 0.3, s * 0.78, s * 0.7, s * 0.88))
    glass = _mix(colour, (255, 255, 255), 0.15)
    draw.rounded_rectangle(
        (s * 0.33, s * 0.34, s * 0.67, s * 0.84), radius=s * 0.06, fill=_shade(glass, -0.2)
    )
    draw.rounded_rectangle((s * 0.345, s * 0.35, s * 0.655, s * 0.83), radius=s * 0.055, fill=glass)
    draw.polygon(
        [(s * 0.36, s * 0.36), (s * 0.44, s * 0.22), (s * 0.56, s * 0.22), (s * 0.64, s * 0.36)],
        fill=glass,
    )
    draw.rectangle((s * 0.43, s * 0.14, s * 0.57, s * 0.23), fill=_shade(colour, -0.45))
    draw.rectangle((s * 0.345, s * 0.5, s * 0.655, s * 0.68), fill=(250, 246, 236))
    draw.ellipse((s * 0.45, s * 0.54, s * 0.55, s * 0.64), fill=colour)
    draw.rectangle((s * 0.38, s * 0.38, s * 0.41, s * 0.78), fill=_shade(glass, 0.4))
    if rng.random() < 0.5:
        _leaf(draw, s * 0.5, s * 0.55, s * 0.06, -1.2)


def draw_bag(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    """A snack bag or box with a window showing round pieces inside."""
    draw = ImageDraw.Draw(canvas)
    s = SIZE * SCALE
    _shadow(canvas, (s * 0.2, s * 0.76, s * 0.8, s * 0.88))
    body = [(s * 0.26, s * 0.2), (s * 0.74, s * 0.2), (s * 0.78, s * 0.82), (s * 0.22, s * 0.82)]
    draw.polygon(body, fill=_shade(colour, -0.1))
    draw.rectangle((s * 0.26, s * 0.16, s * 0.74, s * 0.22), fill=_shade(colour, -0.35))
    draw.rounded_rectangle(
        (s * 0.34, s * 0.42, s * 0.66, s * 0.7), radius=s * 0.04, fill=(252, 244, 226)
    )
    for _ in range(7):
        x, y, r = (
            s * rng.uniform(0.39, 0.61),
            s * rng.uniform(0.47, 0.65),
            s * rng.uniform(0.025, 0.04),
        )
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_shade(colour, -0.4))
    draw.rectangle((s * 0.3, s * 0.28, s * 0.7, s * 0.34), fill=_shade(colour, 0.55))


SHAPES: dict[str, Callable[[Image.Image, Colour, random.Random], None]] = {
    "round": draw_round,
    "berries": draw_berries,
    "long": draw_long,
    "loaf": draw_loaf,
    "tart": draw_tart,
    "bottle": draw_bottle,
    "bag": draw_bag,
}


def product_picture(*, name: str, shape: str, colour: Colour) -> bytes:
    """An 800×800 JPEG of `shape` in `colour`, the same bytes for the same name every time."""
    # hashlib, not hash(): Python salts str hashes per process.
    seed = int.from_bytes(hashlib.sha256(name.encode()).digest()[:8], "big")
    rng = random.Random(seed)
    canvas = _background(colour, rng)
    SHAPES[shape](canvas, colour, rng)
    picture = canvas.reduce(SCALE)
    out = io.BytesIO()
    picture.save(out, format="JPEG", quality=85, optimize=True)
    return out.getvalue()
