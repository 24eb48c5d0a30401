"""The core: settings, Redis keys, the connection, logging, the queue's Lua scripts and their callers.

It imports nothing of examgen above it (the layers contract in pyproject.toml).
"""
