"""Which URLs the watcher may fetch: http(s) to public addresses, and networks the operator allows.

A feed is written by someone else: its links, and the redirects of the pages it links to, may point
at this machine (127.0.0.1, ::1), the local network (10/8, 192.168/16, fc00::/7), link-local
addresses (169.254.169.254 answers cloud metadata) or multicast. ``AddressPolicy.problem(url)``
resolves the URL's host and names the first address it may not reach; the operator opens a network
with ``--allow-network 10.0.0.0/8`` (or ``SITREP_ALLOW_NETWORKS``).
"""

from __future__ import annotations

import ipaddress
import socket
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Network = ipaddress.IPv4Network | ipaddress.IPv6Network
Resolver = Callable[[str, int], list[str]]

SCHEMES = ("http", "https")
_NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # the well-known prefix: the last 32 bits are IPv4


class UnresolvedHost(Exception):
    """The host name has no address (yet): a trouble that may pass."""


def parse_networks(values: Iterable[str]) -> tuple[Network, ...]:
    """Networks from ``10.0.0.0/8``, ``::1`` or comma-separated lists of them; ``ValueError`` names a bad one."""
    networks: list[Network] = []
    for value in values:
        for part in value.split(","):
            if not part.strip():
                continue
            try:
                networks.append(ipaddress.ip_network(part.strip(), strict=False))
            except ValueError:
                raise ValueError(
                    f"not a network: {part.strip()!r} (use e.g. 10.0.0.0/8 or fd00::/8)"
                ) from None
    return tuple(networks)


def resolve(host: str, port: int) -> list[str]:
    """Every address ``host`` resolves to; ``UnresolvedHost`` when it resolves to none."""
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError) as err:
        raise UnresolvedHost(f"cannot resolve {host} ({err})") from None
    return [str(info[4][0]) for info in infos]


def embedded_ipv4(ip: IPAddress) -> ipaddress.IPv4Address | None:
    """The IPv4 address an IPv6 address carries (mapped, 6to4, Teredo, NAT64), if any."""
    if isinstance(ip, ipaddress.IPv4Address):
        return None
    if ip.ipv4_mapped is not None:
        return ip.ipv4_mapped
    if ip.sixtofour is not None:
        return ip.sixtofour
    if ip.teredo is not None:
        return ip.teredo[1]
    if ip in _NAT64:
        return ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
    return None


def address_kind(ip: IPAddress) -> str | None:
    """What makes ``ip`` internal (``loopback``, ``private``, ...), or None for a public address."""
    inner = embedded_ipv4(ip)
    if inner is not None and (kind := address_kind(inner)):
        return kind
    for kind, flag in (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
    ):
        if flag:
            return kind
    if not ip.is_global:
        return "non-public"
    return None


@dataclass(frozen=True)
class AddressPolicy:
    """Refuse non-http(s) URLs and hosts that resolve to internal addresses outside ``allowed``."""

    allowed: Sequence[Network] = ()
    resolver: Resolver = field(default=resolve, compare=False)

    def allows(self, ip: IPAddress) -> bool:
        inner = embedded_ipv4(ip)
        return any(ip in net or (inner is not None and inner in net) for net in self.allowed)

    def problem(self, url: str) -> str | None:
        """Why ``url`` may not be fetched, in a few words; None when it may.

        Raises ``UnresolvedHost`` when its host name has no address.
        """
        try:
            parts = urlsplit(url)
            port = parts.port or (443 if parts.scheme == "https" else 80)
        except ValueError as err:
            return f"not a usable URL ({err})"
        if parts.scheme not in SCHEMES:
            return f"not an http(s) URL ({parts.scheme or 'no'} scheme)"
        host = parts.hostname
        if not host:
            return "no host in the URL"
        try:
            addresses = [host]
            ipaddress.ip_address(host)
        except ValueError:
            addresses = self.resolver(host, port)
        return next(filter(None, map(self.address_problem, addresses)), None)

    def address_problem(self, address: str) -> str | None:
        """Why a connection to ``address`` (an IP address) is refused; None when it is not."""
        ip = ipaddress.ip_address(address.split("%", 1)[0])
        kind = address_kind(ip)
        if not kind or self.allows(ip):
            return None
        inner = embedded_ipv4(ip)
        shown = f"{ip} ({inner})" if inner else str(ip)
        return f"{kind} address {shown}; allow its network with --allow-network to fetch it"
