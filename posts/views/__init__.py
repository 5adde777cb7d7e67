"""The posts pages: the composer (compose.py), a post and its htmx actions (detail.py), and the
card grids other pages load as fragments (grids.py)."""
