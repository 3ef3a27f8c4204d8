"""Security plumbing of the core: client addresses behind proxies, headers, session timeouts,
the staff second factor, lockout and the read audit. Apps import from here; nothing here
imports an app."""
