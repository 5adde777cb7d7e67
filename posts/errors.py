"""The posts app's error codes: one class per code, each a member of backend.errors' family."""

from backend.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound


class PostNotFound(NotFound):
    code = "post_not_found"
    message = "This post does not exist or is not visible to you."


class CommentNotFound(NotFound):
    code = "comment_not_found"
    message = "This comment does not exist."


class CollectionNotFound(NotFound):
    code = "collection_not_found"
    message = "You have no such collection."


class InvalidPost(InvalidInput):
    code = "invalid_post"
    message = "Check the post."


class InvalidTag(InvalidInput):
    code = "invalid_tag"
    message = "Check the product tags."


class InvalidComment(InvalidInput):
    code = "invalid_comment"
    message = "Check the comment."


class InvalidReport(InvalidInput):
    code = "invalid_report"
    message = "Check the report."


class InvalidCollection(InvalidInput):
    code = "invalid_collection"
    message = "Check the collection's name."


class NotAuthor(NotAllowed):
    code = "not_author"
    message = "Only the author may do that."


class CollectionExists(Conflict):
    code = "collection_exists"
    message = "You already have a collection with that name."


class AlreadyPublished(InvalidTransition):
    code = "already_published"
    message = "A published post cannot go back to being a draft."


class ReportAlreadyReviewed(InvalidTransition):
    code = "report_reviewed"
    message = "This report has already been reviewed."


class NotCommentAuthor(NotAllowed):
    code = "not_comment_author"
    message = "Only the comment's author or the post's author may delete it."
