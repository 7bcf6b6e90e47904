"""Load a page in headless Chromium over the DevTools protocol: failed requests, console
errors, every URL requested, and a full-page PNG screenshot."""

from __future__ import annotations

import base64
import json
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from websockets.sync.client import connect

CHROMIUM = "/usr/bin/chromium"
FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--hide-scrollbars",
    "--remote-debugging-port=0",
)


@dataclass
class PageLoad:
    requests: list[str] = field(default_factory=list)  # every URL the page asked for
    failed: list[dict[str, Any]] = field(default_factory=list)  # Network.loadingFailed
    errors: list[str] = field(default_factory=list)  # console errors, exceptions, log errors
    loaded: bool = False
    title: str = ""
    images_complete: int = 0  # <img> decoded with a natural width
    images_total: int = 0


class _Session:
    def __init__(self, ws: Any, session_id: str) -> None:
        self.ws, self.session_id, self.next_id = ws, session_id, 0
        self.events: list[dict[str, Any]] = []

    def send(self, method: str, params: dict[str, Any] | None = None, timeout: float = 30) -> Any:
        self.next_id += 1
        call_id = self.next_id
        message = {"id": call_id, "method": method, "params": params or {}}
        if self.session_id:
            message["sessionId"] = self.session_id
        self.ws.send(json.dumps(message))
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            reply = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            if reply.get("id") == call_id:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})
            self.events.append(reply)
        raise TimeoutError(method)

    def wait_for(self, method: str, timeout: float = 30) -> dict[str, Any]:
        for event in self.events:
            if event.get("method") == method:
                return event
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            event = json.loads(self.ws.recv(timeout=max(0.1, deadline - time.monotonic())))
            self.events.append(event)
            if event.get("method") == method:
                return event
        raise TimeoutError(method)

    def drain(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            try:
                self.events.append(json.loads(self.ws.recv(timeout=0.1)))
            except TimeoutError:
                continue


def _devtools_url(profile: Path, process: subprocess.Popen[bytes], timeout: float = 30) -> str:
    marker = profile / "DevToolsActivePort"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if marker.exists():
            lines = marker.read_text().split()
            if len(lines) >= 2:
                return f"ws://127.0.0.1:{lines[0]}{lines[1]}"
        if process.poll() is not None:
            raise RuntimeError(f"chromium exited with {process.returncode}")
        time.sleep(0.05)
    raise TimeoutError("chromium did not open its DevTools port")


def load_page(url: str, screenshot: Path | None = None, width: int = 1100) -> PageLoad:
    """Open `url`, wait for the load event (and a little idle time), collect problems."""
    profile = Path(tempfile.mkdtemp(prefix="jumelage-chromium-"))
    process = subprocess.Popen(
        [CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "about:blank"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    result = PageLoad()
    try:
        with connect(_devtools_url(profile, process), max_size=None) as ws:
            browser = _Session(ws, "")
            target = browser.send("Target.createTarget", {"url": "about:blank"})["targetId"]
            attached = browser.send("Target.attachToTarget", {"targetId": target, "flatten": True})
            page = _Session(ws, attached["sessionId"])
            page.events = browser.events
            page.next_id = browser.next_id
            for domain in ("Page", "Network", "Runtime", "Log"):
                page.send(f"{domain}.enable")
            page.send(
                "Emulation.setDeviceMetricsOverride",
                {"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": False},
            )
            page.events.clear()
            page.send("Page.navigate", {"url": url})
            page.wait_for("Page.loadEventFired")
            page.drain(0.5)
            result.loaded = True
            state = page.send(
                "Runtime.evaluate",
                {
                    "expression": "JSON.stringify({title: document.title,"
                    " total: document.images.length,"
                    " complete: [...document.images].filter(i => i.complete &&"
                    " i.naturalWidth > 0).length})",
                    "returnByValue": True,
                },
            )
            values = json.loads(state["result"]["value"])
            result.title = values["title"]
            result.images_total, result.images_complete = values["total"], values["complete"]
            if screenshot is not None:
                shot = page.send(
                    "Page.captureScreenshot",
                    {"format": "png", "captureBeyondViewport": True},
                    timeout=60,
                )
                screenshot.write_bytes(base64.b64decode(shot["data"]))
            for event in page.events:
                method, params = event.get("method"), event.get("params", {})
                if method == "Network.requestWillBeSent":
                    result.requests.append(params["request"]["url"])
                elif method == "Network.loadingFailed":
                    result.failed.append(params)
                elif method == "Runtime.exceptionThrown":
                    result.errors.append(json.dumps(params["exceptionDetails"])[:500])
                elif method == "Runtime.consoleAPICalled" and params.get("type") == "error":
                    result.errors.append(json.dumps(params.get("args"))[:500])
                elif method == "Log.entryAdded" and params["entry"]["level"] == "error":
                    result.errors.append(params["entry"].get("text", "")[:500])
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        shutil.rmtree(profile, ignore_errors=True)
    return result
