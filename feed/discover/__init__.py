"""Discovery: ranked posts (`ranking`, scores kept by `scores`), hashtag feeds (`hashtags`) and
"friends who bought this" (`buyers`, with the opt-out in `privacy`)."""
