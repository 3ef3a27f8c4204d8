"""The current code of a load-benchmark login's authenticator, as an authenticator app shows it
(RFC 6238 through django_otp.oath, which needs no Django settings). Used by locustfile.py;
kept apart so tests can check it without importing locust."""


def totp_code(login: dict, at: float) -> str:
    from django_otp.oath import TOTP

    totp = TOTP(
        bytes.fromhex(login["key"]), step=login["step"], t0=login["t0"], digits=login["digits"]
    )
    totp.time = at
    return f"{totp.token():0{login['digits']}d}"
