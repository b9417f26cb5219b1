"""Every client of a process shares one TLS context, and it verifies certificates and hosts."""

from __future__ import annotations

import ssl

from syncform.http.client import shared_tls_context


def test_one_context_for_the_process_that_verifies() -> None:
    context = shared_tls_context()
    assert context is shared_tls_context()
    assert context.verify_mode == ssl.CERT_REQUIRED
    assert context.check_hostname is True
    assert context.cert_store_stats()["x509_ca"] > 0  # the CA bundle is loaded
