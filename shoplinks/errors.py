"""The share links' error codes: one class per code, each a member of backend.errors' family."""

from backend.errors import InvalidInput


class ProductNotInPost(InvalidInput):
    code = "product_not_in_post"
    message = "This post does not tag that product."
