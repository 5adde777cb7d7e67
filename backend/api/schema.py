"""drf-spectacular hooks."""


def drop_slash_variants(endpoints: list) -> list:
    """Document each route once: `api_path` also registers it with a trailing slash."""
    paths = {path for path, *_ in endpoints}
    return [
        endpoint
        for endpoint in endpoints
        if not (endpoint[0].endswith("/") and endpoint[0].rstrip("/") in paths)
    ]
