"""The locustfile ``hookmock load`` runs: one WebhookUser configured by ``--webhook-*`` options.

Run it with Locust directly too: ``locust -f $(python -c "import hookmock.load as l;
print(l.LOCUSTFILE)") --host http://127.0.0.1:8000 --webhook-path /webhooks/<provider>
--webhook-secret whsec_...``. Importing it imports Locust (and gevent's monkey-patching).
"""

from hookmock.load._locust import WebhookUser


class Webhooks(WebhookUser):
    """Everything comes from the command line (``hookmock load`` fills it in)."""
