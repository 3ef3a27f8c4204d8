"""Server time per route from the JSON request log: median, 95th percentile and count.

    python scripts/request_log_summary.py web.log [--json out.json]

The client's figures (locust) include waiting for a free web process; these are the time
each request spent inside the application, as logged by config/request_log.py.
"""

import argparse
import json
import statistics
from collections import defaultdict
from datetime import datetime
from pathlib import Path


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(share * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("log", type=Path)
    parser.add_argument("--json", type=Path)
    parser.add_argument(
        "--load-average", nargs=2, metavar=("START", "END"), help="`uptime` figures to record"
    )
    args = parser.parse_args()
    figures = json.loads(args.json.read_text()) if args.json and args.json.exists() else {}
    # The same window as the client's figures: from when every staff user was signed in.
    since = figures.get("measured_from")
    durations: dict[str, list[float]] = defaultdict(list)
    for line in args.log.read_text().splitlines():
        if not line.startswith("{"):
            continue
        record = json.loads(line)
        if since and datetime.fromisoformat(record["time"]).timestamp() < since:
            continue
        if record.get("logger") == "ehc.request" and "duration_ms" in record:
            route = f"{record['method']} {record.get('route') or record['path']}"
            durations[route].append(record["duration_ms"])
    rows = {
        route: {
            "requests": len(values),
            "median_ms": round(statistics.median(values)),
            "p95_ms": round(percentile(values, 0.95)),
        }
        for route, values in sorted(durations.items())
    }
    print(f"\nserver time per route (request log)\n{'route':<44} {'n':>6} {'median':>7} {'p95':>7}")
    for route, row in rows.items():
        print(f"{route:<44} {row['requests']:>6} {row['median_ms']:>7} {row['p95_ms']:>7}")
    if args.json:
        figures["server_ms_by_route"] = rows
        if args.load_average:
            figures["load_average"] = {"start": args.load_average[0], "end": args.load_average[1]}
        args.json.write_text(json.dumps(figures, indent=2))


if __name__ == "__main__":
    main()
