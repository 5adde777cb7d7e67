"""Pictures for the demo posts, drawn with Pillow: a warm gradient table, a plate or a board,
and fruit or bakes in the post's colours. Photo-sized (1080 px wide) JPEGs, so that the real
upload and processing path (validation, variants, placeholder) is what the demo shows.

Drawn at half size and scaled up: four times fewer pixels to paint, and the soft scale-up reads
as a shallow depth of field rather than as blur.
"""

from __future__ import annotations

import io
import math
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH = 1080
# Portrait 3:4, the 4:5 of phone feeds, and square.
HEIGHTS = (1440, 1350, 1080)
SCALE = 2

Colour = tuple[int, int, int]

BACKDROPS: tuple[tuple[Colour, Colour], ...] = (
    ((255, 236, 222), (246, 196, 178)),
    ((232, 244, 236), (190, 222, 204)),
    ((244, 238, 255), (214, 200, 240)),
    ((255, 247, 220), (244, 214, 150)),
    ((226, 238, 250), (180, 204, 232)),
    ((250, 232, 236), (226, 180, 190)),
)


def _mix(a: Colour, b: Colour, t: float) -> Colour:
    return tuple(round(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def _shade(colour: Colour, amount: float) -> Colour:
    """Lighter for amount > 0, darker below."""
    return _mix(colour, (255, 255, 255) if amount > 0 else (0, 0, 0), abs(amount))


def _backdrop(size: tuple[int, int], pair: tuple[Colour, Colour]) -> Image.Image:
    # A 2×2 picture scaled up bilinearly is a smooth diagonal gradient, at no drawing cost.
    top, bottom = pair
    corners = Image.new("RGB", (2, 2))
    corners.putdata([top, _mix(top, bottom, 0.5), _mix(top, bottom, 0.5), bottom])
    return corners.resize(size, Image.Resampling.BILINEAR)


def _shadow(
    canvas: Image.Image, box: tuple[float, float, float, float], strength: int = 90
) -> None:
    mask = Image.new("L", canvas.size, 0)
    ImageDraw.Draw(mask).ellipse(box, fill=strength)
    mask = mask.filter(ImageFilter.GaussianBlur(canvas.width / 40))
    canvas.paste((60, 40, 30), (0, 0), mask)


def _bokeh(canvas: Image.Image, rng: random.Random) -> None:
    """Soft light spots in the background, as from a window behind the table."""
    layer = Image.new("L", canvas.size, 0)
    draw = ImageDraw.Draw(layer)
    for _ in range(6):
        r = rng.uniform(0.04, 0.12) * canvas.width
        x, y = rng.uniform(0, canvas.width), rng.uniform(0, canvas.height * 0.4)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=rng.randint(40, 90))
    layer = layer.filter(ImageFilter.GaussianBlur(canvas.width / 60))
    canvas.paste((255, 255, 255), (0, 0), layer)


def _fruit(draw: ImageDraw.ImageDraw, x: float, y: float, r: float, colour: Colour) -> None:
    draw.ellipse((x - r, y - r, x + r, y + r), fill=_shade(colour, -0.18))
    draw.ellipse((x - r * 0.94, y - r * 0.96, x + r * 0.9, y + r * 0.86), fill=colour)
    hr = r * 0.28
    hx, hy = x - r * 0.38, y - r * 0.4
    draw.ellipse((hx - hr, hy - hr * 0.7, hx + hr, hy + hr * 0.7), fill=_shade(colour, 0.45))
    leaf = (72, 150, 70)
    draw.polygon(
        [(x, y - r * 0.95), (x + r * 0.45, y - r * 1.25), (x + r * 0.15, y - r * 0.9)], fill=leaf
    )


def _bowl(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    w, h = canvas.size
    cx, cy, pr = w / 2, h * 0.56, w * 0.4
    _shadow(canvas, (cx - pr, cy - pr * 0.55 + w * 0.05, cx + pr, cy + pr * 0.55 + w * 0.08))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse((cx - pr, cy - pr * 0.6, cx + pr, cy + pr * 0.6), fill=(250, 250, 248))
    draw.ellipse(
        (cx - pr * 0.8, cy - pr * 0.45, cx + pr * 0.8, cy + pr * 0.45), fill=(238, 236, 232)
    )
    spots = [(rng.uniform(-0.5, 0.5), rng.uniform(-0.3, 0.2)) for _ in range(rng.randint(5, 8))]
    for dx, dy in sorted(spots, key=lambda spot: spot[1]):
        tone = _shade(colour, rng.uniform(-0.12, 0.12))
        _fruit(draw, cx + dx * pr, cy + dy * pr, pr * rng.uniform(0.2, 0.27), tone)


def _berries(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    w, h = canvas.size
    draw = ImageDraw.Draw(canvas)
    for _ in range(70):
        r = w * rng.uniform(0.03, 0.05)
        angle, dist = rng.uniform(0, math.tau), rng.uniform(0, 0.33) * w
        x, y = w / 2 + math.cos(angle) * dist, h * 0.55 + math.sin(angle) * dist * 0.8
        tone = _shade(colour, rng.uniform(-0.25, 0.1))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=tone)
        draw.ellipse((x - r * 0.5, y - r * 0.55, x - r * 0.1, y - r * 0.2), fill=_shade(tone, 0.5))


def _slices(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    """Cut rounds (citrus, kiwi, dragon fruit): rind, flesh and seeds or segments."""
    w, h = canvas.size
    board = (196, 150, 104)
    _shadow(canvas, (w * 0.08, h * 0.3, w * 0.92, h * 0.86), 70)
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle((w * 0.08, h * 0.28, w * 0.92, h * 0.84), radius=w * 0.06, fill=board)
    for i in range(5):
        r = w * rng.uniform(0.1, 0.14)
        x = w * (0.25 + 0.25 * (i % 3)) + rng.uniform(-20, 20)
        y = h * (0.45 + 0.2 * (i // 3)) + rng.uniform(-20, 20)
        draw.ellipse((x - r, y - r, x + r, y + r), fill=_shade(colour, -0.25))
        draw.ellipse(
            (x - r * 0.9, y - r * 0.9, x + r * 0.9, y + r * 0.9), fill=_shade(colour, 0.15)
        )
        for k in range(10):
            a = k * math.tau / 10
            draw.line(
                (x, y, x + math.cos(a) * r * 0.85, y + math.sin(a) * r * 0.85),
                fill=_shade(colour, 0.45),
                width=max(1, int(r * 0.05)),
            )
        draw.ellipse(
            (x - r * 0.12, y - r * 0.12, x + r * 0.12, y + r * 0.12), fill=_shade(colour, 0.5)
        )


def _loaf(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    w, h = canvas.size
    box = (w * 0.14, h * 0.36, w * 0.86, h * 0.72)
    _shadow(canvas, (box[0], box[1] + w * 0.06, box[2], box[3] + w * 0.06))
    draw = ImageDraw.Draw(canvas)
    draw.ellipse(box, fill=_shade(colour, -0.2))
    inner = (box[0] + w * 0.02, box[1] + w * 0.01, box[2] - w * 0.02, box[3] - w * 0.04)
    draw.ellipse(inner, fill=colour)
    for i in range(4):
        x = w * (0.3 + i * 0.13)
        draw.line(
            (x - w * 0.05, h * 0.47, x + w * 0.05, h * 0.58),
            fill=_shade(colour, 0.35),
            width=int(w * 0.018),
        )
    for _ in range(40):
        x, y = rng.uniform(box[0] + 40, box[2] - 40), rng.uniform(box[1] + 30, box[3] - 40)
        draw.ellipse((x - 3, y - 2, x + 3, y + 2), fill=_shade(colour, 0.5))


def _tarts(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    w, h = canvas.size
    draw = ImageDraw.Draw(canvas)
    crust = (214, 160, 88)
    for row in range(2):
        for col in range(3):
            r = w * 0.12
            x = w * (0.22 + col * 0.28) + rng.uniform(-10, 10)
            y = h * (0.42 + row * 0.22) + rng.uniform(-10, 10)
            draw.ellipse((x - r, y - r * 0.8 + 18, x + r, y + r * 0.8 + 18), fill=(150, 110, 80))
            draw.ellipse((x - r, y - r * 0.8, x + r, y + r * 0.8), fill=crust)
            draw.ellipse((x - r * 0.78, y - r * 0.6, x + r * 0.78, y + r * 0.6), fill=colour)
            burnt = _shade(colour, -0.45)
            for _ in range(3):
                bx, by = x + rng.uniform(-r * 0.4, r * 0.4), y + rng.uniform(-r * 0.3, r * 0.3)
                br = r * rng.uniform(0.08, 0.16)
                draw.ellipse((bx - br, by - br, bx + br, by + br), fill=burnt)


def _drink(canvas: Image.Image, colour: Colour, rng: random.Random) -> None:
    w, h = canvas.size
    glass = (w * 0.32, h * 0.26, w * 0.68, h * 0.78)
    _shadow(canvas, (glass[0], glass[3] - w * 0.05, glass[2], glass[3] + w * 0.06))
    draw = ImageDraw.Draw(canvas)
    draw.rounded_rectangle(glass, radius=w * 0.04, fill=(246, 248, 250))
    level = glass[1] + (glass[3] - glass[1]) * rng.uniform(0.12, 0.25)
    draw.rounded_rectangle(
        (glass[0] + 12, level, glass[2] - 12, glass[3] - 12), radius=w * 0.03, fill=colour
    )
    draw.rectangle(
        (glass[0] + 24, level + 20, glass[0] + 44, glass[3] - 40), fill=_shade(colour, 0.4)
    )
    draw.line((w * 0.55, h * 0.16, w * 0.6, h * 0.7), fill=(255, 90, 110), width=int(w * 0.025))
    for _ in range(3):
        x, y, r = rng.uniform(w * 0.36, w * 0.62), rng.uniform(level + 40, level + 160), w * 0.05
        draw.rounded_rectangle((x - r, y - r, x + r, y + r), radius=12, fill=_shade(colour, 0.55))


SCENES = {
    "bowl": _bowl,
    "berries": _berries,
    "slices": _slices,
    "loaf": _loaf,
    "tarts": _tarts,
    "drink": _drink,
}


def post_picture(*, scene: str, colour: Colour, seed: int) -> bytes:
    """A JPEG (1080 px wide) of `scene` in `colour`; the same seed draws the same picture."""
    rng = random.Random(seed)
    height = HEIGHTS[seed % len(HEIGHTS)]
    size = (WIDTH // SCALE, height // SCALE)
    canvas = _backdrop(size, BACKDROPS[seed % len(BACKDROPS)])
    _bokeh(canvas, rng)
    SCENES[scene](canvas, colour, rng)
    canvas = canvas.resize((WIDTH, height), Image.Resampling.BICUBIC)
    out = io.BytesIO()
    canvas.save(out, "JPEG", quality=85, optimize=False)
    return out.getvalue()
