"""The CA certificates every HTTPS client of Lockstep trusts (managed-Python downloads, the package
index): certifi's bundle, the OS store, and SSL_CERT_FILE / SSL_CERT_DIR (proxies with their own CA)."""

from __future__ import annotations

import os
import ssl


class CertificateError(Exception):
    """SSL_CERT_FILE or SSL_CERT_DIR names certificates that cannot be loaded."""


def ssl_context() -> ssl.SSLContext:
    import certifi

    context = ssl.create_default_context(cafile=certifi.where())
    context.load_default_certs()
    cafile, capath = os.environ.get("SSL_CERT_FILE"), os.environ.get("SSL_CERT_DIR")
    if cafile or capath:
        try:
            context.load_verify_locations(cafile=cafile or None, capath=capath or None)
        except (OSError, ssl.SSLError) as exc:
            raise CertificateError(
                f"cannot load the CA certificates from SSL_CERT_FILE/SSL_CERT_DIR: {exc}"
            ) from None
    return context
