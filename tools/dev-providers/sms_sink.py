#!/usr/bin/python3
"""A local SMS provider for `jl up` and delivery tests: a JSON HTTP API recording what it accepts.

POST any path with {"to", "from", "body"}. The provider honours the Idempotency-Key header: the
first accepted POST with a key is appended as one JSON line {"key", "to", "from", "body", "id"}
to DIR/messages.jsonl (on disk before the answer) and answered 200 {"id": "sms-<n>"}; a repeat
of the key is answered 200 with the same id and only appends the key to DIR/replays.txt. A POST
without the header is accepted and recorded with key "". With --delay-seconds the answer comes that
long after the record (a slow provider).

Prints exactly one line, "listening <port>", once it accepts connections; exits 0 on SIGTERM.
"""

import argparse
import http.server
import json
import os
import signal
import sys
import threading
import time


def append_line(path, line):
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())


class Provider:
    """The provider's state; one lock makes each request's check-and-record atomic."""

    def __init__(self, args):
        self.args = args
        self.lock = threading.Lock()
        self.posts = 0
        self.sent = 0
        self.ids_by_key = {}

    def answer(self, headers, raw_body):
        """(status, JSON answer) for one POST."""
        with self.lock:
            self.posts += 1
            if self.args.token and headers.get("Authorization") != "Bearer " + self.args.token:
                return 401, {"error": "bad credentials"}
            if self.posts <= self.args.fail_first:
                return 503, {"error": "temporarily unavailable"}
            try:
                request = json.loads(raw_body)
                to, sender, body = request["to"], request["from"], request["body"]
            except (ValueError, KeyError, TypeError) as error:
                return 400, {"error": "malformed request: %s" % error}
            key = headers.get("Idempotency-Key", "")
            if key and key in self.ids_by_key:
                append_line(os.path.join(self.args.record_dir, "replays.txt"), key)
                return 200, {"id": self.ids_by_key[key]}
            if self.args.reject_to and to == self.args.reject_to:
                return 400, {"error": "invalid destination number"}
            self.sent += 1
            message_id = "sms-%d" % self.sent
            record = {"key": key, "to": to, "from": sender, "body": body, "id": message_id,
                      "received_at": time.time()}
            append_line(os.path.join(self.args.record_dir, "messages.jsonl"),
                        json.dumps(record, ensure_ascii=False))
            if key:
                self.ids_by_key[key] = message_id
            return 200, {"id": message_id}


class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    provider = None  # set before serving

    def do_POST(self):
        length = int(self.headers.get("Content-Length") or 0)
        status, answer = self.provider.answer(self.headers, self.rfile.read(length))
        # A slow provider: the message is recorded, the answer comes later, so a client killed
        # meanwhile never learns that it was accepted.
        if self.provider.args.delay_seconds > 0:
            time.sleep(self.provider.args.delay_seconds)
        payload = json.dumps(answer).encode("utf-8")
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(payload)))
            self.end_headers()
            self.wfile.write(payload)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client died waiting (crash tests): what it sent stays recorded

    def log_message(self, format, *args):  # keep the test's output to what fails
        pass


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record-dir", required=True)
    parser.add_argument("--fail-first", type=int, default=0, help="answer the first N POSTs 503")
    parser.add_argument("--reject-to", default="", help="answer 400 for this destination")
    parser.add_argument("--token", default="", help="require Authorization: Bearer TOKEN")
    parser.add_argument("--delay-seconds", type=float, default=0,
                        help="answer each POST this long after recording it")
    return parser.parse_args()


def main():
    args = parse_args()
    os.makedirs(args.record_dir, exist_ok=True)
    Handler.provider = Provider(args)
    server = http.server.ThreadingHTTPServer(("127.0.0.1", args.port), Handler)
    server.daemon_threads = True
    # shutdown() waits for serve_forever() to return, so it cannot run on serve_forever's thread.
    signal.signal(signal.SIGTERM, lambda *_: threading.Thread(target=server.shutdown).start())
    print("listening %d" % server.server_address[1], flush=True)
    server.serve_forever(poll_interval=0.05)  # so SIGTERM is not kept waiting
    server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
