"""Account pages: sign-up, login and logout (account), the second factor, the session warning's endpoints.

The OIDC login views live in relais/accounts/oidc.py.
"""
