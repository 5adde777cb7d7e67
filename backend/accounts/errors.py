"""The accounts app's error codes (rendered by the API's exception handler, shown by pages)."""

from backend.errors import InvalidInput, NotFound, TooManyRequests


class UsernameTaken(InvalidInput):
    code = "username_taken"
    message = "That username is taken."


class EmailTaken(InvalidInput):
    code = "email_taken"
    message = "An account with that email already exists."


class WeakPassword(InvalidInput):
    code = "weak_password"
    message = "Choose a stronger password."


class InvalidCredentials(InvalidInput):
    code = "invalid_credentials"
    message = "Wrong username or password."


class SignInLocked(TooManyRequests):
    code = "signin_locked"
    message = "Too many failed sign-ins. Try again later."


class SelfTarget(InvalidInput):
    """Following, blocking, muting or close-friending oneself."""

    code = "self_target"
    message = "You cannot do that to yourself."


class InvalidImage(InvalidInput):
    code = "invalid_image"
    message = "The file is not an image we can use."


class UserNotFound(NotFound):
    code = "user_not_found"
    message = "No such user."
