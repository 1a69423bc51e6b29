"""Signing in and out (OpenID Connect, as a backend-for-frontend) and the idle timeout."""
