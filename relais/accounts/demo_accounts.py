"""The demo accounts' e-mail domain: accounts owns what marks an account as a demo one (relais/accounts/security.py);
the demo seeder (relais/demo/, the layer above every app) creates accounts in it."""

DEMO_EMAIL_DOMAIN = "demo.relais"
