"""What the HTTP API and the dashboard share as web code: who is calling, and the error shape."""
