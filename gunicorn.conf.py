"""gunicorn settings for the web processes: `gunicorn -c gunicorn.conf.py config.wsgi`.

Every value can be set from the environment, so one file serves every council; the table in
docs/settings.md lists them. Requests are logged by the application (one JSON line each, with
its request id: config/request_log.py), so gunicorn's own access log stays off.
"""

import multiprocessing
import os

bind = os.environ.get("EHC_BIND", "127.0.0.1:8000")
# Sync workers, one per core by default: a page is mostly Python (rendering, the ORM), so more
# workers than cores only share the cores and every page waits longer. Under `make bench-load`
# on 2 cores, 2 workers held every staff page's p95 near 200 ms where 4 gave 380 ms; with the
# database on another machine, pages also wait on the network and one more may pay (measure).
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count()))
threads = int(os.environ.get("EHC_WEB_THREADS", "1"))
timeout = int(os.environ.get("EHC_WEB_TIMEOUT", "30"))
graceful_timeout = 30
keepalive = 5
# Recycle a worker after this many requests (with jitter) so a slow leak never grows unbounded.
max_requests = int(os.environ.get("EHC_WEB_MAX_REQUESTS", "2000"))
max_requests_jitter = max_requests // 10
# Load the app before forking: workers share its memory, and a broken setting fails at once.
preload_app = True
# Only these addresses may say, through X-Forwarded-Proto, that the request came over HTTPS.
forwarded_allow_ips = os.environ.get("EHC_FORWARDED_ALLOW_IPS", "127.0.0.1")
accesslog = None
errorlog = "-"
loglevel = os.environ.get("LOG_LEVEL", "info").lower()
# The request body cap is the proxy's job (docs/deployment.md); these stop oversized headers.
limit_request_line = 8190
limit_request_fields = 100
