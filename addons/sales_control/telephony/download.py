# License AGPL-3.0 or later (https://www.gnu.org/licenses/agpl).
"""Downloading a file named by a vendor's event (a recording link), safely.

A link in an event is the word of whoever holds the hook address and its
secret: it may name an address inside our network (cloud metadata, Odoo
itself, an intranet), a non-HTTP scheme, a redirect to one of those, or a
stream without end. :func:`safe_download` fetches only

* http(s) URLs,
* from a host of ``allowed_hosts`` (the vendor's own API host, from the
  integration's settings), or else from a public address over https
  (the host is resolved and every address it resolves to must be global:
  no loopback, private, link-local, multicast, reserved or unspecified one),
* following at most ``follow`` redirects, each hop checked as the first,
* at most ``max_bytes`` bytes (streamed, never read whole first), within an
  overall deadline of ``timeout`` seconds,

and raises :class:`DownloadError` (a ``RecordingError``: the recording queue
retries, then fails the recording as usual, without a traceback) otherwise.

Usage (an adapter's ``download_recording``)::

    data, name = safe_download(url, allowed_hosts=api_hosts(integration))
"""
import cgi
import ipaddress
import os
import socket
import time
from urllib.parse import unquote, urljoin, urlsplit

import requests

from ..models.sales_telephony_recording import RecordingError

MAX_BYTES = 100 * 1024 * 1024   # a recording of several hours is far less
TIMEOUT = 30                    # seconds for the whole download, redirects included
CHUNK = 64 * 1024
REDIRECTS = (301, 302, 303, 307, 308)
MAX_NAME = 120                  # characters of the file name returned


class DownloadError(RecordingError):
    """The file was not downloaded (refused address, HTTP error, too big,
    too slow): the recording is tried again later."""


def api_hosts(*urls):
    """The hosts of ``urls`` (e.g. the integration's ``api_url``) for
    ``allowed_hosts``, as ``host:port``: the port the URL names, else the
    default ports 443 and 80; empty and malformed URLs are skipped. Use it
    rather than bare host names (a bare host allows any port): a stand-in or
    PBX on ``127.0.0.1:8080`` then allows that port, not every loopback
    service."""
    hosts = []
    for url in urls:
        try:
            parts = urlsplit(url or "")
            host, port = parts.hostname, parts.port
        except ValueError:
            continue
        if host:
            if ":" in host:
                host = "[%s]" % host
            hosts.extend("%s:%d" % (host, number) for number in ((port,) if port else (443, 80)))
    return tuple(hosts)


def is_api_host(url, api_url):
    """``url`` is on the host (and port) of ``api_url``: where the vendor's
    API credentials may be sent."""
    try:
        parts = urlsplit(url or "")
        host, port, scheme = parts.hostname, parts.port, (parts.scheme or "").lower()
    except ValueError:
        return False
    return bool(host) and _is_allowed(host, port or (443 if scheme == "https" else 80), api_hosts(api_url))


def _norm_host(host):
    return (host or "").strip().lower().rstrip(".")


def _is_allowed(host, port, allowed_hosts):
    """``host`` (on ``port``) is one of ``allowed_hosts``: an entry
    ``host:port`` allows that port only, a bare ``host`` any port."""
    host = _norm_host(host)
    for entry in allowed_hosts or ():
        entry = _norm_host(entry)
        if not entry:
            continue
        name, colon, number = entry.rpartition(":")
        if colon and number.isdigit() and not name.endswith(":") and (name.startswith("[") or ":" not in name):
            if _norm_host(name.strip("[]")) == host and port == int(number):
                return True
        elif entry.strip("[]") == host:
            return True
    return False


def _refused_address(address):
    """Why ``address`` (an IP as text) is not a public one, or ''."""
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])
    except ValueError:
        return "not an IP address"
    mapped = getattr(ip, "ipv4_mapped", None) or getattr(ip, "sixtofour", None)
    if mapped is not None:
        ip = mapped
    for attribute in ("is_loopback", "is_private", "is_link_local", "is_multicast", "is_reserved",
                      "is_unspecified"):
        if getattr(ip, attribute, False):
            return attribute[3:].replace("_", "-")
    if not ip.is_global:
        return "not global"
    return ""


def check_url(url, allowed_hosts=(), https_only=True):
    """Raises :class:`DownloadError` unless ``url`` may be fetched (see the
    module's rules); returns (scheme, host, allowed) where ``allowed`` says
    the host is one of ``allowed_hosts`` (not checked by address)."""
    try:
        parts = urlsplit(url or "")
        host = parts.hostname
        port = parts.port
    except ValueError:
        raise DownloadError("the link %r is not a valid URL" % (url or "")[:200])
    scheme = (parts.scheme or "").lower()
    if scheme not in ("http", "https"):
        raise DownloadError("the link %r is not an http(s) URL" % (url or "")[:200])
    if not host:
        raise DownloadError("the link %r names no host" % (url or "")[:200])
    allowed = _is_allowed(host, port or (443 if scheme == "https" else 80), allowed_hosts)
    if allowed:
        return scheme, host, True
    if https_only and scheme != "https":
        raise DownloadError("the link %r is not https and not on the vendor's API host" % url[:200])
    try:
        infos = socket.getaddrinfo(host, port or (443 if scheme == "https" else 80), proto=socket.IPPROTO_TCP)
    except (OSError, UnicodeError) as error:
        raise DownloadError("the host %s of the link does not resolve: %s" % (host[:100], error))
    if not infos:
        raise DownloadError("the host %s of the link does not resolve" % host[:100])
    for info in infos:
        why = _refused_address(info[4][0])
        if why:
            raise DownloadError("the link's host %s is an internal address (%s, %s): not fetched"
                                % (host[:100], info[4][0], why))
    return scheme, host, False


def _peer_address(response):
    """The address the response came from, when urllib3 tells it (best
    effort: closes the window of a DNS answer changed after the check)."""
    try:
        sock = response.raw._connection.sock  # pylint: disable=protected-access
        return sock.getpeername()[0]
    except Exception:  # pylint: disable=broad-except
        return None


def _filename(response, url):
    name = ""
    disposition = response.headers.get("Content-Disposition") or ""
    if disposition:
        try:
            _value, params = cgi.parse_header(disposition)
        except Exception:  # pylint: disable=broad-except
            params = {}
        name = params.get("filename*") or params.get("filename") or ""
        if name.lower().startswith("utf-8''"):
            name = unquote(name[7:])
    if not name:
        try:
            name = unquote(urlsplit(url).path or "")
        except ValueError:
            name = ""
    name = os.path.basename(name.replace("\\", "/")).strip().strip(".")
    name = "".join(char for char in name if char.isprintable() and char not in '/\\:*?"<>|')
    return name[-MAX_NAME:]


def _close(response):
    try:
        response.close()
    except Exception:  # pylint: disable=broad-except
        pass


def _read_capped(response, max_bytes, deadline):
    length = response.headers.get("Content-Length")
    if length and length.strip().isdigit() and int(length) > max_bytes:
        raise DownloadError("the file is %s bytes, over the limit of %d" % (length.strip(), max_bytes))
    # A response whose body is already in memory (no stream left to read).
    content = getattr(response, "_content", False)
    if content not in (False, None):
        if len(content) > max_bytes:
            raise DownloadError("the file is over the limit of %d bytes" % max_bytes)
        return bytes(content)
    chunks = []
    size = 0
    for chunk in response.iter_content(CHUNK):
        size += len(chunk)
        if size > max_bytes:
            raise DownloadError("the file is over the limit of %d bytes: download stopped" % max_bytes)
        if time.monotonic() > deadline:
            raise DownloadError("the download took longer than allowed: stopped after %d bytes" % size)
        chunks.append(chunk)
    return b"".join(chunks)


def safe_download(url, allowed_hosts=(), max_bytes=MAX_BYTES, timeout=TIMEOUT, headers=None, method="GET",
                  data=None, follow=0, https_only=True, refuse_types=()):
    """Fetches ``url`` and returns ``(bytes, filename)``; ``filename`` is the
    Content-Disposition's name or the last part of the (final) URL's path,
    cleaned of separators, '' when there is none. Raises
    :class:`DownloadError` for a refused address or scheme, an HTTP status
    other than 200, an empty body, more than ``max_bytes`` bytes, more than
    ``timeout`` seconds in all, a Content-Type starting with one of
    ``refuse_types`` (e.g. Mango's JSON "not ready"), a network error.

    ``headers`` (e.g. the API key) are sent to the first host only, not to a
    redirect to another host. ``method``/``data`` are for the first request;
    a 303 (or a 301/302 of a POST) is followed with GET."""
    deadline = time.monotonic() + timeout
    method = (method or "GET").upper()
    first_host = None
    hops = 0
    while True:
        _scheme, host, allowed = check_url(url, allowed_hosts, https_only=https_only)
        if first_host is None:
            first_host = _norm_host(host)
        left = deadline - time.monotonic()
        if left <= 0:
            raise DownloadError("the download took longer than %s seconds" % timeout)
        send = dict(headers or {}) if _norm_host(host) == first_host else {}
        limits = (min(left, 10), left)  # connecting, then each read
        kwargs = {"headers": send, "stream": True, "allow_redirects": False}
        try:
            if method == "GET":
                response = requests.get(url, timeout=limits, **kwargs)
            elif method == "POST":
                response = requests.post(url, data=data, timeout=limits, **kwargs)
            else:
                response = requests.request(method, url, data=data, timeout=limits, **kwargs)
        except (requests.RequestException, OSError, ValueError) as error:
            raise DownloadError("the vendor did not give the file: %s" % error)
        try:
            if not allowed:
                peer = _peer_address(response)
                why = peer and _refused_address(peer)
                if why:
                    raise DownloadError("the link's host %s answered from an internal address (%s, %s)"
                                        % (host[:100], peer, why))
            if response.status_code in REDIRECTS:
                location = response.headers.get("Location") or ""
                if not location:
                    raise DownloadError("the vendor answered HTTP %s without a Location" % response.status_code)
                if hops >= follow:
                    raise DownloadError("the vendor redirected the download (HTTP %s); not followed"
                                        % response.status_code)
                hops += 1
                url = urljoin(url, location)
                if response.status_code == 303 or (response.status_code in (301, 302) and method == "POST"):
                    method, data = "GET", None
                continue
            if response.status_code != 200:
                raise DownloadError("the vendor answered HTTP %s for the file" % response.status_code)
            kind = (response.headers.get("Content-Type") or "").split(";")[0].strip().lower()
            if refuse_types and kind.startswith(tuple(refuse_types)):
                body = _read_capped(response, 4096 if not getattr(response, "_content", False) else max_bytes,
                                    deadline)
                raise DownloadError("the vendor answered %s instead of the file: %s"
                                    % (kind, body[:200].decode("utf-8", "replace")))
            content = _read_capped(response, max_bytes, deadline)
        except (requests.RequestException, OSError) as error:
            raise DownloadError("the download broke off: %s" % error)
        finally:
            _close(response)
        if not content:
            raise DownloadError("the vendor gave an empty file")
        return content, _filename(response, url)
