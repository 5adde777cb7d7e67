"""Notifications: made from domain events (`subscriptions`), stored one row per recipient and
event (`services`), read grouped into lines such as "Ana and 3 others liked your post"
(`selectors`, `texts`) and pushed to the recipient's open pages after commit (`push`)."""
