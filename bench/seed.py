"""Users with API tokens for a bench or test server.

`python -m bench.seed PREFIX COUNT` creates users PREFIX0 … PREFIX{COUNT-1} (idempotent) in the
database its environment selects and prints `{username: token}` as JSON. Run it through
`EmbeddedServer.run` so that it writes to that server's database.
"""

import json
import os
import sys


def users_with_tokens(*, prefix: str, count: int) -> dict[str, str]:
    from django.contrib.auth import get_user_model
    from django.contrib.auth.hashers import make_password
    from rest_framework.authtoken.models import Token

    user_model = get_user_model()
    # These users sign in by token only; an unusable password also spares an Argon2 hash each.
    password = make_password(None)
    tokens = {}
    for number in range(count):
        username = f"{prefix}{number}"
        user, _ = user_model.objects.get_or_create(
            username=username,
            defaults={"password": password, "display_name": f"Bench {username}"},
        )
        token, _ = Token.objects.get_or_create(user=user)
        tokens[username] = token.key
    return tokens


def main(argv: list[str]) -> None:
    prefix, count = argv
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "backend.settings")
    import django

    django.setup()
    print(json.dumps(users_with_tokens(prefix=prefix, count=int(count))))


if __name__ == "__main__":
    main(sys.argv[1:])
