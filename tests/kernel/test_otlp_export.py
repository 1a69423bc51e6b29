"""With HAVN_OTLP_ENDPOINT set, spans are exported over OTLP/HTTP to that collector."""

from __future__ import annotations

import subprocess
import sys
import threading
from http.server import BaseHTTPRequestHandler, HTTPServer

from opentelemetry.proto.collector.trace.v1.trace_service_pb2 import ExportTraceServiceRequest

EXPORT_ONE_SPAN = """
import sys
from opentelemetry import trace
from havn.telemetry import setup_telemetry
provider = setup_telemetry("havn-intake", otlp_endpoint=sys.argv[1])
with trace.get_tracer("test").start_as_current_span("settle child"):
    pass
provider.shutdown()
"""


def test_spans_reach_the_configured_otlp_collector():
    received: list[bytes] = []

    class Collector(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            received.append(self.rfile.read(int(self.headers["Content-Length"])))
            self.send_response(200)
            self.end_headers()

        def log_message(self, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Collector)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        endpoint = f"http://127.0.0.1:{server.server_port}/v1/traces"
        subprocess.run([sys.executable, "-c", EXPORT_ONE_SPAN, endpoint], check=True, timeout=60)
    finally:
        server.shutdown()
    [body] = received
    request = ExportTraceServiceRequest.FromString(body)
    [resource_spans] = request.resource_spans
    service = {a.key: a.value.string_value for a in resource_spans.resource.attributes}
    assert service["service.name"] == "havn-intake"
    assert [s.name for s in resource_spans.scope_spans[0].spans] == ["settle child"]


WITHOUT_AN_EXPORTER = """
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from havn.telemetry import setup_telemetry
setup_telemetry("havn-intake", otlp_endpoint=None)
with trace.get_tracer("test").start_as_current_span("unexported") as span:
    context = span.get_span_context()
    print(span.is_recording(), context.is_valid)
exporter = InMemorySpanExporter()
setup_telemetry("havn-intake", otlp_endpoint=None, exporter=exporter)
with trace.get_tracer("test").start_as_current_span("exported") as span:
    print(span.is_recording())
print([s.name for s in exporter.get_finished_spans()])
"""


def test_spans_are_recorded_only_while_something_exports_them_and_always_carry_a_trace_id():
    # when a process traces first with no exporter, then with one
    printed = subprocess.run(
        [sys.executable, "-c", WITHOUT_AN_EXPORTER],
        check=True,
        timeout=60,
        capture_output=True,
        text=True,
    ).stdout.splitlines()

    # then the first span cost nothing but still had a trace id; the second was exported
    assert printed == ["False True", "True", "['exported']"]
