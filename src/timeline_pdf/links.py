"""Which links are published, and which are marked foreign: the same rules for every product.

Only http, https and mailto links are ever made live; a host under a country-code domain other
than the layout's domestic ones (or listed as foreign) gets an asterisk, as the published
products do. Kept apart from the renderers so the PDF and the web page share one rule.
"""

from __future__ import annotations

from urllib.parse import urlsplit

from timeline_pdf.layout.schema import Links

SAFE_SCHEMES = ("http", "https", "mailto")


def is_safe_url(url: str) -> bool:
    try:
        return urlsplit(url).scheme.lower() in SAFE_SCHEMES
    except ValueError:
        return False


def is_foreign(url: str, rules: Links) -> bool:
    """Foreign when the host is listed as foreign, or ends in a country code not listed as domestic."""
    try:
        host = (urlsplit(url).hostname or "").lower().rstrip(".")
    except ValueError:
        return False
    if not host:
        return False

    def listed(hosts: tuple[str, ...]) -> bool:
        return any(host == h.lower() or host.endswith("." + h.lower()) for h in hosts)

    if listed(rules.foreign_hosts):
        return True
    if listed(rules.domestic_hosts):
        return False
    tld = host.rsplit(".", 1)[-1]
    return len(tld) == 2 and tld.isalpha() and tld not in {t.lower().lstrip(".") for t in rules.domestic_tlds}
