#!/usr/bin/python3
"""A local SMTP server for `jl up` and delivery tests: records what it accepts, fails on request.

It behaves like a provider that honours Message-IDs: the first message with a given Message-ID
is stored as DIR/accepted/<seq>.eml (raw bytes) and DIR/accepted/<seq>.json (the MIME parsed by
Python's email package); a repeat is answered 250 but only its Message-ID is appended to
DIR/duplicates.txt. Files appear whole (written under a temporary name, then renamed).

Prints exactly one line, "listening <port>", once it accepts connections; exits 0 on SIGTERM.
The server runs on asyncio directly rather than through aiosmtpd's Controller, which cannot
listen on port 0 (it connects to the port it was given to check the server is up).
"""

import argparse
import asyncio
import email
import email.policy
import hashlib
import json
import logging
import os
import signal
import ssl
import sys
import warnings

from aiosmtpd.smtp import SMTP, AuthResult, LoginPassword


def write_atomically(path, data):
    temporary = os.path.join(os.path.dirname(path), "." + os.path.basename(path) + ".tmp")
    with open(temporary, "wb") as out:
        out.write(data)
        out.flush()
        os.fsync(out.fileno())
    os.replace(temporary, path)


def append_line(path, line):
    with open(path, "a", encoding="utf-8") as out:
        out.write(line + "\n")
        out.flush()
        os.fsync(out.fileno())


def header_text(message, name):
    value = message.get(name)
    return None if value is None else str(value)


def summarize(raw):
    """What a test checks of a message, decoded as a mail client would."""
    message = email.message_from_bytes(raw, policy=email.policy.default)
    body = message.get_body(preferencelist=("plain",))
    attachments = []
    for part in message.iter_attachments():
        content = part.get_payload(decode=True) or b""
        attachments.append({
            "filename": part.get_filename(),
            "content_type": part.get_content_type(),
            "size": len(content),
            "sha256": hashlib.sha256(content).hexdigest(),
        })
    return {
        "message_id": (header_text(message, "Message-ID") or "").strip().strip("<>"),
        "from": header_text(message, "From"),
        "to": header_text(message, "To"),
        "reply_to": header_text(message, "Reply-To"),
        "subject": header_text(message, "Subject"),
        "date": header_text(message, "Date"),
        # Lines end as a mail client shows them, whatever the wire's CRLF.
        "body": body.get_content().replace("\r\n", "\n") if body is not None else None,
        "attachments": attachments,
    }


class RecordingHandler:
    def __init__(self, args):
        self.args = args
        self.accepted_dir = os.path.join(args.record_dir, "accepted")
        os.makedirs(self.accepted_dir, exist_ok=True)
        self.data_commands = 0
        self.stored = 0
        self.seen_message_ids = set()

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if self.args.reject_rcpt and self.args.reject_rcpt in address:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        if self.args.delay_seconds > 0:
            await asyncio.sleep(self.args.delay_seconds)
        self.data_commands += 1
        if self.data_commands <= self.args.fail_first:
            return "451 4.3.0 try again later"
        raw = envelope.original_content
        summary = summarize(raw)
        message_id = summary["message_id"]
        if message_id and message_id in self.seen_message_ids:
            append_line(os.path.join(self.args.record_dir, "duplicates.txt"), message_id)
            return "250 OK duplicate dropped"
        if message_id:
            self.seen_message_ids.add(message_id)
        self.stored += 1
        summary["envelope_from"] = envelope.mail_from
        summary["envelope_to"] = envelope.rcpt_tos
        stem = os.path.join(self.accepted_dir, "%06d" % self.stored)
        write_atomically(stem + ".eml", raw)
        write_atomically(stem + ".json", json.dumps(summary, ensure_ascii=False).encode("utf-8"))
        return "250 OK stored"


def make_authenticator(user, password):
    def authenticate(server, session, envelope, mechanism, auth_data):
        ok = (isinstance(auth_data, LoginPassword) and auth_data.login == user.encode()
              and auth_data.password == password.encode())
        # handled=False lets aiosmtpd answer a failure with its own 535.
        return AuthResult(success=ok, handled=ok)
    return authenticate


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--record-dir", required=True)
    parser.add_argument("--fail-first", type=int, default=0,
                        help="answer the first N DATA commands with 451")
    parser.add_argument("--reject-rcpt", default="",
                        help="answer RCPT TO containing this with 550")
    parser.add_argument("--delay-seconds", type=float, default=0.0,
                        help="wait this long before answering DATA")
    parser.add_argument("--auth-user", default="")
    parser.add_argument("--auth-password", default="")
    parser.add_argument("--tls-cert", default="", help="offer and require STARTTLS")
    parser.add_argument("--tls-key", default="")
    return parser.parse_args()


async def serve(args):
    loop = asyncio.get_running_loop()
    handler = RecordingHandler(args)
    smtp_options = {"data_size_limit": 64 * 1024 * 1024, "hostname": "sink.jobledger.invalid"}
    if args.auth_user:
        smtp_options.update(auth_required=True, auth_require_tls=False,
                            authenticator=make_authenticator(args.auth_user, args.auth_password))
    if args.tls_cert:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.tls_cert, args.tls_key)
        smtp_options.update(tls_context=context, require_starttls=True)
    server = await loop.create_server(lambda: SMTP(handler, loop=loop, **smtp_options),
                                      host="127.0.0.1", port=args.port)
    stopped = asyncio.Event()
    loop.add_signal_handler(signal.SIGTERM, stopped.set)
    loop.add_signal_handler(signal.SIGINT, stopped.set)
    print("listening %d" % server.sockets[0].getsockname()[1], flush=True)
    await stopped.wait()
    server.close()
    await server.wait_closed()


def main():
    # AUTH without TLS is what the tests want; aiosmtpd warns about it on every connection.
    warnings.filterwarnings("ignore", message="Requiring AUTH while not requiring TLS")
    warnings.filterwarnings("ignore", category=DeprecationWarning)
    # A client that gives up (a refused certificate, a timeout) is what tests do on purpose.
    logging.getLogger("mail.log").setLevel(logging.CRITICAL)
    asyncio.run(serve(parse_args()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
